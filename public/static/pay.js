// The Payment Element page (GET /pay): asks the server for a PaymentIntent for the cart, mounts
// Stripe's Payment Element (or the local emulator's stand-in) and confirms, returning to the order page.
// No inline script: the page passes its data in data-attributes on #payment-form.
(function () {
  'use strict';
  var form = document.querySelector('form[data-pay]');
  if (!form) return;
  var message = document.getElementById('payment-message');
  var submit = document.getElementById('pay-submit');

  function show(text) {
    message.textContent = text;
  }

  function problemText(body, fallback) {
    if (body && Array.isArray(body.problems) && body.problems.length) {
      return body.problems
        .map(function (p) {
          return p.message;
        })
        .join(' ');
    }
    return (body && (body.detail || body.title)) || fallback;
  }

  function json(res) {
    return res.json().then(
      function (body) {
        return { ok: res.ok, status: res.status, body: body };
      },
      function () {
        return { ok: res.ok, status: res.status, body: null };
      },
    );
  }

  var stripe;
  var elements;
  var orderId;

  Promise.all([
    fetch(form.dataset.configUrl, { headers: { accept: 'application/json' } }).then(json),
    fetch(form.dataset.intentUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: '{}',
      credentials: 'same-origin',
    }).then(json),
  ])
    .then(function (results) {
      var config = results[0];
      var intent = results[1];
      if (!config.ok) throw new Error('The payment form could not be loaded. Please reload the page.');
      if (!intent.ok) {
        if (intent.body && intent.body.orderUrl) {
          window.location.assign(intent.body.orderUrl);
          return;
        }
        throw new Error(problemText(intent.body, 'Your cart could not be prepared for payment.'));
      }
      if (typeof window.Stripe !== 'function') throw new Error('The payment form could not be loaded.');
      orderId = intent.body.orderId;
      stripe = window.Stripe(config.body.publishableKey);
      elements = stripe.elements({ clientSecret: intent.body.clientSecret });
      elements.create('payment').mount('#payment-element');
      submit.disabled = false;
    })
    .catch(function (err) {
      show(err && err.message ? err.message : 'Something went wrong. Please reload the page.');
    });

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    if (!stripe || !elements || !orderId) return;
    submit.disabled = true;
    show('');
    var returnUrl = new URL(form.dataset.orderBase + encodeURIComponent(orderId), window.location.href).href;
    // The receipt address: the webhook files the payment under this shopper's Stripe Customer.
    var emailInput = form.querySelector('input[name="email"]');
    var email = emailInput && emailInput.value.trim();
    var confirmParams = { return_url: returnUrl };
    if (email) {
      confirmParams.receipt_email = email;
      confirmParams.payment_method_data = { billing_details: { email: email } };
    }
    stripe
      .confirmPayment({ elements: elements, confirmParams: confirmParams })
      .then(function (result) {
        // Only reached when the payment did not redirect: a declined card or invalid details.
        if (result && result.error) show(result.error.message || 'Your payment was not accepted.');
        submit.disabled = false;
      })
      .catch(function () {
        show('Your payment could not be sent. Please try again.');
        submit.disabled = false;
      });
  });
})();
