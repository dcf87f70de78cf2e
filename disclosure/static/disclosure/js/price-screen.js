/*
 * The price list's lobby screen (电子屏) and kiosk (查询一体机). A static file: the site's CSP
 * forbids inline script, so the pages pass their settings in data- attributes.
 *
 * Screen (body[data-price-screen]): every data-interval seconds, fetch the data-next address
 * (the next screenful, the first after the last), swap its frame in place and follow its own
 * data-next. A failed fetch (no network, a server error) leaves the current screenful up and
 * tries again on the next tick, so a blip never leaves an error page on a screen nobody can
 * touch. An answer that is not a screen (the list withdrawn: not found, or sent to log in)
 * replaces the whole page instead: a withdrawn list must not stay up.
 *
 * Kiosk (body[data-price-kiosk]): back to data-start after data-idle seconds without a touch.
 */
(function () {
  "use strict";

  var body = document.body;

  function seconds(value, fallback) {
    var number = parseFloat(value);
    return number > 0 ? number : fallback;
  }

  function startScreen() {
    var interval = seconds(body.dataset.interval, 15) * 1000;

    function advance() {
      var next = body.dataset.next;
      if (!next) {
        return;
      }
      fetch(next, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) {
          if (response.status >= 500) {
            throw new Error(response.status);
          }
          return response.text().then(function (html) {
            return { response: response, html: html };
          });
        })
        .then(function (answer) {
          var fetched = new DOMParser().parseFromString(answer.html, "text/html");
          var frame = fetched.querySelector("[data-screen-frame]");
          var current = document.querySelector("[data-screen-frame]");
          if (!answer.response.ok || answer.response.redirected || !frame || !current) {
            window.location.replace(next);
            return;
          }
          current.replaceChildren.apply(
            current,
            Array.prototype.map.call(frame.childNodes, function (node) {
              return document.importNode(node, true);
            })
          );
          body.dataset.next = fetched.body.dataset.next || next;
          if (fetched.title) {
            document.title = fetched.title;
          }
        })
        .catch(function () {
          /* keep the current screenful; the next tick tries again */
        })
        .then(function () {
          window.setTimeout(advance, interval);
        });
    }

    window.setTimeout(advance, interval);
  }

  function startKiosk() {
    var idle = seconds(body.dataset.idle, 60) * 1000;
    var start = body.dataset.start;
    var timer = null;

    function restart() {
      var here = window.location.pathname + window.location.search;
      if (start && here !== start) {
        window.location.replace(start);
      } else {
        arm();
      }
    }

    function arm() {
      window.clearTimeout(timer);
      timer = window.setTimeout(restart, idle);
    }

    ["pointerdown", "keydown", "touchstart", "scroll"].forEach(function (name) {
      window.addEventListener(name, arm, { passive: true });
    });
    arm();
  }

  if ("priceScreen" in body.dataset) {
    startScreen();
  } else if ("priceKiosk" in body.dataset) {
    startKiosk();
  }
})();
