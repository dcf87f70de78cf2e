// The progress bar of a price list import (导入价格表). It asks the import's status every
// second and shows how many rows have been checked; when the import has finished it reloads
// the page, which then shows the result. A static file: the Content-Security-Policy allows
// no inline script.
(function () {
  "use strict";

  var box = document.querySelector("[data-price-import]");
  if (!box) {
    return;
  }
  var bar = box.querySelector("progress");
  var count = box.querySelector("[data-price-import-count]");
  var url = box.getAttribute("data-status-url");

  function show(status) {
    if (status.total > 0) {
      bar.max = status.total;
      bar.value = status.processed;
    }
    if (status.total > 0 && status.processed >= status.total) {
      // Checked: the rows are being written in one transaction, seen only when it ends.
      bar.removeAttribute("value");
      count.textContent = box.getAttribute("data-saving-label");
    } else {
      count.textContent = box
        .getAttribute("data-checking-label")
        .replace("%(done)s", String(status.processed))
        .replace("%(total)s", String(status.total));
    }
  }

  function poll() {
    // Named as a script's request: a refusal is then a 403, not Wagtail's redirect.
    fetch(url, {
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-Requested-With": "XMLHttpRequest" },
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (status) {
        if (status.done) {
          window.location.reload();
          return;
        }
        show(status);
        window.setTimeout(poll, 1000);
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  window.setTimeout(poll, 500);
})();
