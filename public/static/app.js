// Progressive enhancement for the storefront pages. Everything works without it; with it, the header
// badge and the cart page follow the cart live (a WebSocket to /cart/live, pushed by the cart's
// Durable Object on every change from any tab), and cart forms are sent without a page reload.
(function () {
  'use strict';

  var cartRoot = function () {
    return document.getElementById('cart-root');
  };

  // ------------------------------------------------------------ header badge

  function setCount(count) {
    var badges = document.querySelectorAll('[data-cart-count]');
    for (var i = 0; i < badges.length; i++) {
      var badge = badges[i];
      var before = badge.textContent;
      badge.textContent = count > 0 ? String(count) : '';
      badge.hidden = !(count > 0);
      if (before !== badge.textContent && count > 0) {
        badge.classList.remove('bump');
        void badge.offsetWidth; // restart the animation
        badge.classList.add('bump');
      }
    }
    var labels = document.querySelectorAll('[data-cart-count-label]');
    for (var j = 0; j < labels.length; j++)
      labels[j].textContent = count > 0 ? ', ' + count + (count === 1 ? ' item' : ' items') : '';
  }

  function countOf(state) {
    var n = 0;
    for (var i = 0; i < state.lines.length; i++) n += state.lines[i].qty;
    return n;
  }

  // ------------------------------------------------------------ cart page refresh

  var refreshing = false;
  var refreshAgain = false;

  /** True while the shopper is typing in a cart form: don't swap the page under their cursor. */
  function editing() {
    var el = document.activeElement;
    var root = cartRoot();
    return !!(root && el && root.contains(el) && (el.tagName === 'TEXTAREA' || el.tagName === 'INPUT'));
  }

  /** Re-renders the cart section from the server's HTML (one renderer, no client templates). */
  function refreshCartPage() {
    if (!cartRoot()) return;
    if (editing()) {
      document.addEventListener('focusout', function later() {
        document.removeEventListener('focusout', later);
        setTimeout(refreshCartPage, 0);
      });
      return;
    }
    if (refreshing) {
      refreshAgain = true;
      return;
    }
    refreshing = true;
    fetch('/cart', { headers: { accept: 'text/html' }, credentials: 'same-origin', cache: 'no-store' })
      .then(function (res) {
        return res.ok ? res.text() : null;
      })
      .then(function (html) {
        if (!html) return;
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var fresh = doc.getElementById('cart-root');
        var root = cartRoot();
        if (fresh && root && !editing()) root.replaceWith(document.importNode(fresh, true));
      })
      .catch(function () {})
      .then(function () {
        refreshing = false;
        if (refreshAgain) {
          refreshAgain = false;
          refreshCartPage();
        }
      });
  }

  function onCart(state) {
    setCount(countOf(state));
    var root = cartRoot();
    if (root && root.getAttribute('data-cart-version') !== String(state.version)) refreshCartPage();
  }

  // ------------------------------------------------------------ live socket

  var socket = null;
  var retryMs = 1000;
  var pingTimer = null;

  function connect() {
    if (!('WebSocket' in window)) return fallbackCount();
    var url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/cart/live';
    try {
      socket = new WebSocket(url);
    } catch (e) {
      return fallbackCount();
    }
    socket.addEventListener('open', function () {
      retryMs = 1000;
      clearInterval(pingTimer);
      // Answered by the object's auto-response without waking it: keeps proxies from idling us out.
      pingTimer = setInterval(function () {
        if (socket && socket.readyState === 1) socket.send('ping');
      }, 30000);
    });
    socket.addEventListener('message', function (event) {
      if (event.data === 'pong') return;
      try {
        var msg = JSON.parse(event.data);
        if (msg && msg.type === 'cart' && msg.cart) onCart(msg.cart);
      } catch (e) {
        /* not ours */
      }
    });
    socket.addEventListener('close', function () {
      clearInterval(pingTimer);
      socket = null;
      if (document.visibilityState === 'hidden') return; // reconnect when the tab is seen again
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 30000);
    });
  }

  function fallbackCount() {
    fetch('/cart', { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (res) {
        return res.ok ? res.json() : null;
      })
      .then(function (view) {
        if (view) setCount(view.count);
      })
      .catch(function () {});
  }

  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'visible' && !socket) connect();
  });

  // ------------------------------------------------------------ forms

  function status(form, message, isError) {
    var el = form.querySelector('[data-status]');
    if (el) {
      el.textContent = message;
      el.classList.toggle('is-error', !!isError);
    }
    if (isError || form.hasAttribute('data-add-form')) toast(message, isError);
  }

  var toastTimer = null;

  function toast(message, isError) {
    var el = document.querySelector('.toast');
    if (!el) {
      el = document.createElement('div');
      el.className = 'toast';
      el.setAttribute('role', 'status');
      document.body.appendChild(el);
    }
    el.classList.toggle('is-error', !!isError);
    el.textContent = message + ' ';
    if (!isError) {
      var link = document.createElement('a');
      link.href = '/cart';
      link.textContent = 'View cart';
      el.appendChild(link);
    }
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () {
      el.remove();
    }, 5000);
  }

  /** Sends JSON to the cart API; resolves with the new cart or rejects with the problem's detail. */
  function send(method, url, body) {
    return fetch(url, {
      method: method,
      credentials: 'same-origin',
      headers: body
        ? { 'content-type': 'application/json', accept: 'application/json' }
        : { accept: 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    }).then(function (res) {
      return res.json().then(
        function (data) {
          if (!res.ok) throw new Error((data && data.detail) || 'Something went wrong.');
          return data;
        },
        function () {
          throw new Error(res.ok ? 'Unexpected answer.' : 'Something went wrong (' + res.status + ').');
        },
      );
    });
  }

  function busy(form, on) {
    var buttons = form.querySelectorAll('button');
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].disabled = on;
      buttons[i].classList.toggle('is-busy', on);
    }
  }

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !window.fetch) return;

    if (form.hasAttribute('data-add-form')) {
      event.preventDefault();
      var data = new FormData(form);
      var qty = Number(data.get('qty') || 1);
      var note = String(data.get('note') || '');
      busy(form, true);
      send('POST', '/cart/items', { productId: data.get('productId'), qty: qty, note: note })
        .then(function (view) {
          setCount(view.count);
          status(form, 'Added to your cart.', false);
          var noteField = form.querySelector('textarea[name="note"]');
          if (noteField) noteField.value = '';
        })
        .catch(function (err) {
          status(form, err.message, true);
        })
        .then(function () {
          busy(form, false);
        });
      return;
    }

    if (form.hasAttribute('data-line-form')) {
      event.preventDefault();
      var submitter = event.submitter;
      var remove = submitter && submitter.value === 'delete';
      var url = form.getAttribute('action');
      var fields = new FormData(form);
      var request = remove
        ? send('DELETE', url)
        : send('PATCH', url, { qty: Number(fields.get('qty')), note: String(fields.get('note') || '') });
      busy(form, true);
      request
        .then(function (view) {
          setCount(view.count);
          if (document.activeElement && form.contains(document.activeElement)) document.activeElement.blur();
          refreshCartPage();
        })
        .catch(function (err) {
          status(form, err.message, true);
          busy(form, false);
        });
    }
  });

  // A changed quantity on the cart page is saved without pressing Update.
  document.addEventListener('change', function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.name !== 'qty') return;
    var form = input.form;
    if (!form || !form.hasAttribute('data-line-form') || !input.checkValidity()) return;
    var update = form.querySelector('button[value="patch"]');
    if (form.requestSubmit) form.requestSubmit(update || undefined);
  });

  connect();
})();
