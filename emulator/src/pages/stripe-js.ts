// The Stripe.js stand-in served at /v3/stripe.js: `Stripe(pk).elements({ clientSecret })`,
// `create('payment').mount(el)` and `confirmPayment(...)`, talking to the emulator same-origin
// through the storefront's proxy. An external file so the app's CSP (script-src 'self') allows it.
import type { Context } from 'hono';

const SCRIPT = String.raw`/* Stripe.js stand-in (local Stripe emulator). Not Stripe's code. */
(function () {
  'use strict';
  var current = document.currentScript;
  var BASE = current && current.src ? current.src.replace(/\/v3\/stripe\.js(?:[?#].*)?$/, '') : '';

  function intentId(clientSecret) {
    return String(clientSecret || '').split('_secret_')[0];
  }

  function request(pk, method, path, params) {
    var body = params ? new URLSearchParams(params).toString() : undefined;
    var url = BASE + path + (method === 'GET' && body ? '?' + body : '');
    return fetch(url, {
      method: method,
      credentials: 'same-origin',
      headers: Object.assign(
        { authorization: 'Bearer ' + pk, accept: 'application/json' },
        method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}
      ),
      body: method === 'POST' ? body : undefined,
    }).then(function (res) {
      return res.json().then(function (json) {
        return { ok: res.ok, json: json };
      });
    });
  }

  function withParams(url, params) {
    var u = new URL(url, window.location.href);
    Object.keys(params).forEach(function (k) { u.searchParams.set(k, params[k]); });
    return u.toString();
  }

  function style(el, css) {
    Object.keys(css).forEach(function (k) { el.style[k] = css[k]; });
    return el;
  }

  function PaymentElement(elements, type, options) {
    this.type = type;
    this.options = options || {};
    this.handlers = {};
    this.container = null;
    this.input = null;
    this.elements = elements;
  }
  PaymentElement.prototype.mount = function (target) {
    var host = typeof target === 'string' ? document.querySelector(target) : target;
    if (!host) throw new Error('Stripe emulator: mount target not found: ' + target);
    var self = this;
    var wrap = style(document.createElement('div'), { display: 'grid', gap: '6px', font: 'inherit' });
    wrap.setAttribute('data-stripe-emulator', 'payment-element');
    var label = document.createElement('label');
    label.textContent = 'Card number';
    var input = style(document.createElement('input'), {
      padding: '10px 12px', border: '1px solid #d0d5dd', borderRadius: '6px', font: 'inherit', width: '100%', boxSizing: 'border-box',
    });
    input.id = 'stripe-emulator-card-number';
    label.htmlFor = input.id;
    input.name = 'cardnumber';
    input.inputMode = 'numeric';
    input.autocomplete = 'cc-number';
    input.placeholder = '1234 1234 1234 1234';
    input.setAttribute('aria-describedby', 'stripe-emulator-card-hint');
    var hint = style(document.createElement('p'), { margin: '0', fontSize: '13px', color: '#697386' });
    hint.id = 'stripe-emulator-card-hint';
    hint.textContent = 'Test card: 4242 4242 4242 4242 (succeeds) · 4000 0000 0000 0002 (declined) · 4000 0000 0000 9995 (insufficient funds)';
    input.addEventListener('input', function () {
      var digits = input.value.replace(/\D/g, '');
      self.emit('change', { elementType: 'payment', empty: digits.length === 0, complete: digits.length >= 15, value: { type: 'card' } });
    });
    input.addEventListener('focus', function () { self.emit('focus', { elementType: 'payment' }); });
    input.addEventListener('blur', function () { self.emit('blur', { elementType: 'payment' }); });
    wrap.appendChild(label);
    wrap.appendChild(input);
    wrap.appendChild(hint);
    host.appendChild(wrap);
    this.container = wrap;
    this.input = input;
    setTimeout(function () { self.emit('ready', { elementType: 'payment' }); }, 0);
    return this;
  };
  PaymentElement.prototype.on = function (event, handler) {
    (this.handlers[event] = this.handlers[event] || []).push(handler);
    return this;
  };
  PaymentElement.prototype.off = function (event, handler) {
    this.handlers[event] = (this.handlers[event] || []).filter(function (h) { return h !== handler; });
    return this;
  };
  PaymentElement.prototype.emit = function (event, payload) {
    (this.handlers[event] || []).forEach(function (h) { h(payload); });
  };
  PaymentElement.prototype.unmount = function () {
    if (this.container && this.container.parentNode) this.container.parentNode.removeChild(this.container);
    this.container = null;
  };
  PaymentElement.prototype.destroy = PaymentElement.prototype.unmount;
  PaymentElement.prototype.focus = function () { if (this.input) this.input.focus(); };
  PaymentElement.prototype.blur = function () { if (this.input) this.input.blur(); };
  PaymentElement.prototype.clear = function () { if (this.input) this.input.value = ''; };
  PaymentElement.prototype.update = function () { return this; };
  PaymentElement.prototype.cardNumber = function () {
    return this.input ? this.input.value.replace(/[\s-]/g, '') : '';
  };

  function Elements(stripe, options) {
    this.stripe = stripe;
    this.options = options || {};
    this.clientSecret = this.options.clientSecret;
    this.element = null;
  }
  Elements.prototype.create = function (type, options) {
    if (type !== 'payment' && type !== 'card') throw new Error('Stripe emulator: only the "payment" element is available');
    this.element = new PaymentElement(this, type, options);
    return this.element;
  };
  Elements.prototype.getElement = function () { return this.element; };
  Elements.prototype.update = function (options) { Object.assign(this.options, options || {}); };
  Elements.prototype.submit = function () {
    var number = this.element ? this.element.cardNumber() : '';
    if (!number) {
      return Promise.resolve({ error: { type: 'validation_error', code: 'incomplete_number', message: 'Your card number is incomplete.' } });
    }
    return Promise.resolve({});
  };

  function Stripe(publishableKey, options) {
    if (!(this instanceof Stripe)) return new Stripe(publishableKey, options);
    if (typeof publishableKey !== 'string' || publishableKey.indexOf('pk_') !== 0) {
      throw new Error('Stripe emulator: a publishable key (pk_...) is required');
    }
    this.key = publishableKey;
    this.options = options || {};
  }
  Stripe.prototype.elements = function (options) { return new Elements(this, options); };

  Stripe.prototype.retrievePaymentIntent = function (clientSecret) {
    return request(this.key, 'GET', '/v1/payment_intents/' + encodeURIComponent(intentId(clientSecret)), {
      client_secret: clientSecret,
    }).then(function (r) { return r.ok ? { paymentIntent: r.json } : { error: r.json.error }; });
  };

  Stripe.prototype._confirm = function (clientSecret, number, params, redirect) {
    var returnUrl = params.return_url;
    var body = {
      client_secret: clientSecret,
      'payment_method_data[type]': 'card',
      'payment_method_data[card][number]': number,
    };
    var billing = (params.payment_method_data && params.payment_method_data.billing_details) || {};
    if (billing.name) body['payment_method_data[billing_details][name]'] = billing.name;
    if (billing.email) body['payment_method_data[billing_details][email]'] = billing.email;
    if (params.receipt_email) body.receipt_email = params.receipt_email;
    if (returnUrl) body.return_url = returnUrl;
    return request(this.key, 'POST', '/v1/payment_intents/' + encodeURIComponent(intentId(clientSecret)) + '/confirm', body).then(
      function (r) {
        if (!r.ok) {
          var e = (r.json && r.json.error) || { type: 'api_error', message: 'Payment failed' };
          return { error: e };
        }
        var pi = r.json;
        if (redirect === 'if_required' || !returnUrl) return { paymentIntent: pi };
        window.location.assign(
          withParams(returnUrl, {
            payment_intent: pi.id,
            payment_intent_client_secret: clientSecret,
            redirect_status: pi.status === 'succeeded' ? 'succeeded' : 'failed',
          })
        );
        return new Promise(function () {});
      }
    );
  };

  Stripe.prototype.confirmPayment = function (options) {
    options = options || {};
    var elements = options.elements;
    var clientSecret = options.clientSecret || (elements && elements.clientSecret);
    if (!clientSecret) return Promise.resolve({ error: { type: 'invalid_request_error', message: 'Missing clientSecret' } });
    var number = elements && elements.element ? elements.element.cardNumber() : '';
    if (!number) {
      return Promise.resolve({ error: { type: 'validation_error', code: 'incomplete_number', message: 'Your card number is incomplete.' } });
    }
    var params = options.confirmParams || {};
    if (options.redirect !== 'if_required' && !params.return_url) {
      return Promise.resolve({ error: { type: 'invalid_request_error', message: 'confirmParams.return_url is required' } });
    }
    return this._confirm(clientSecret, number, params, options.redirect);
  };

  Stripe.prototype.confirmCardPayment = function (clientSecret, data) {
    var el = data && data.payment_method && data.payment_method.card;
    var number = el && el.cardNumber ? el.cardNumber() : '';
    return this._confirm(clientSecret, number, { payment_method_data: { billing_details: (data && data.payment_method && data.payment_method.billing_details) || {} } }, 'if_required');
  };

  window.Stripe = Stripe;
})();
`;

/** GET /v3/stripe.js */
export function stripeJs(c: Context): Response {
  return c.body(SCRIPT, 200, {
    'content-type': 'text/javascript; charset=utf-8',
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
  });
}
