/* Optional help on pages that show an audit link: nothing here is needed for them to work.
   - shows the "Copy the link" buttons (hidden without JavaScript) and copies on click;
   - selects the whole link when its box gets focus, ready to copy by hand. */
(function () {
  "use strict";
  function copy(input) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(input.value);
    }
    input.focus();
    input.select();
    return new Promise(function (resolve, reject) {
      (document.execCommand && document.execCommand("copy")) ? resolve() : reject();
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-select-on-focus]"), function (input) {
      input.addEventListener("focus", function () { input.select(); });
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-copy]"), function (button) {
      var input = document.getElementById(button.getAttribute("data-copy"));
      var status = button.parentNode.querySelector("[data-copy-status]");
      if (!input) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        copy(input).then(function () {
          if (status) status.textContent = status.getAttribute("data-copied");
        }, function () {
          input.focus();
          input.select();
          if (status) status.textContent = status.getAttribute("data-copy-failed");
        });
      });
    });
  });
})();
