/* Optional smoothing for the chat: nothing here is needed for the audit to work.
   - moves focus to the error summary or to the current question after a page loads;
   - stops a second submit within a second of the first (a double tap);
   - keeps "None of these" checkboxes exclusive;
   - shows the Print button on the printable question list. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    var question = document.getElementById("question");
    if (summary) {
      summary.focus({ preventScroll: true });
      (question && question.contains(summary) ? question : summary).scrollIntoView({ block: "start" });
    } else if (question && window.location.hash === "#question") {
      question.focus({ preventScroll: false });
      question.scrollIntoView({ block: "start" });
    }
    // A second submit within a second of the first is a double tap, as GOV.UK's buttons take
    // it (data-prevent-double-click): the question's form, Start the next audit, Try again.
    // Only for a second, so a page the browser brings back with Back can still be sent.
    Array.prototype.forEach.call(document.querySelectorAll("form"), function (form) {
      var chat = form.hasAttribute("data-chat-form");
      var sending = null;
      if (!chat && !form.querySelector("[data-prevent-double-click]")) return;
      form.addEventListener("submit", function (event) {
        if (sending) { event.preventDefault(); return; }
        sending = window.setTimeout(function () { sending = null; }, 1000);
        // The action's #question fragment brings a browser without JavaScript back to the
        // question and its error summary. Here the summary takes focus itself, which a fragment
        // would take away again once the page has loaded.
        if (chat) form.action = form.action.split("#")[0];
      });
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
    Array.prototype.forEach.call(document.querySelectorAll(".checkboxes"), function (group) {
      group.addEventListener("change", function (event) {
        var box = event.target;
        if (box.type !== "checkbox" || !box.checked) return;
        Array.prototype.forEach.call(group.querySelectorAll("input[type=checkbox]"), function (other) {
          if (other === box) return;
          if (box.hasAttribute("data-exclusive") || other.hasAttribute("data-exclusive")) other.checked = false;
        });
      });
    });
  });
})();
