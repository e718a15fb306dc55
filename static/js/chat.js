/* Optional smoothing for the chat: nothing here is needed for the audit to work.
   - moves focus to the error summary or to the current question after a page loads;
   - stops a second submit while the first is on its way;
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
    // A form is sent once: the question's, and any whose button asks for it (GOV.UK's
    // data-prevent-double-click), such as Finish or Try again.
    Array.prototype.forEach.call(document.querySelectorAll("form"), function (form) {
      var chat = form.hasAttribute("data-chat-form");
      if (!chat && !form.querySelector("[data-prevent-double-click]")) return;
      form.addEventListener("submit", function (event) {
        if (form.dataset.submitted) { event.preventDefault(); return; }
        form.dataset.submitted = "true";
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
