/* Optional smoothing for the chat: nothing here is needed for the audit to work.
   - moves focus to the error summary, a success banner or the current question after a page
     loads, as GOV.UK Frontend's error summary and notification banner do;
   - a link in the error summary brings the question's legend or label into view with the
     field, not the bare field at the top of the screen (GOV.UK Frontend's behaviour);
   - counts the characters left in a text box with a limit (GOV.UK's character count);
   - stops a second submit within a second of the first (a double tap);
   - keeps "None of these" checkboxes exclusive;
   - shows the Print button on the printable question list. */
(function () {
  "use strict";

  // Focus an element once: its tabindex goes when it loses focus, as in GOV.UK Frontend.
  function focusOnce(element) {
    if (!element.hasAttribute("tabindex")) {
      element.setAttribute("tabindex", "-1");
      element.addEventListener("blur", function () { element.removeAttribute("tabindex"); }, { once: true });
    }
    element.focus({ preventScroll: true });
  }

  // The legend of a field's group when it would still show with the field, else its label.
  function legendOrLabel(input) {
    var fieldset = input.closest("fieldset");
    var legend = fieldset && fieldset.querySelector("legend");
    if (legend) {
      if (input.type === "checkbox" || input.type === "radio") return legend;
      var legendTop = legend.getBoundingClientRect().top;
      var box = input.getBoundingClientRect();
      if (box.height && window.innerHeight && box.top + box.height - legendTop < window.innerHeight / 2) return legend;
    }
    return document.querySelector("label[for='" + input.id + "']") || input.closest("label");
  }

  function followSummaryLink(event) {
    var link = event.target.closest ? event.target.closest("a") : null;
    if (!link || link.hash.length < 2) return;
    var input = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!input || input.tagName === "MAIN") return;
    var shown = legendOrLabel(input);
    if (!shown) return;
    event.preventDefault();
    shown.scrollIntoView();
    input.focus({ preventScroll: true });
  }

  // GOV.UK's character count: the limit is stated in the hint without JavaScript; here the
  // hint becomes a live count, said to screen readers once typing pauses.
  function characterCount(group) {
    var field = group.querySelector("[data-maxlength]");
    var info = group.querySelector("[data-character-count-info]");
    if (!field || !info) return;
    var limit = parseInt(field.getAttribute("data-maxlength"), 10);
    var shown = document.createElement("div");
    var spoken = document.createElement("div");
    shown.className = "hint character-count-status";
    shown.setAttribute("aria-hidden", "true");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    info.classList.add("visually-hidden");
    info.parentNode.insertBefore(shown, info.nextSibling);
    info.parentNode.insertBefore(spoken, shown.nextSibling);
    var pause = null;
    function message() {
      var left = limit - field.value.length;
      var over = left < 0;
      var count = Math.abs(left);
      var key = (over ? "over" : "left") + (count === 1 ? "One" : "Other");
      return { over: over, text: info.dataset[key].replace("{count}", count.toLocaleString(document.documentElement.lang)) };
    }
    function update(speak) {
      var now = message();
      shown.textContent = now.text;
      shown.classList.toggle("character-count-over", now.over);
      field.classList.toggle("input-error", now.over || field.hasAttribute("data-had-error"));
      if (speak) {
        window.clearTimeout(pause);
        pause = window.setTimeout(function () { spoken.textContent = message().text; }, 1000);
      }
    }
    if (field.classList.contains("input-error")) field.setAttribute("data-had-error", "");
    field.addEventListener("input", function () { update(true); });
    update(false);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    var banner = document.querySelector("[data-notification-banner]");
    var question = document.getElementById("question");
    if (summary) {
      summary.addEventListener("click", followSummaryLink);
      focusOnce(summary);
      (question && question.contains(summary) ? question : summary).scrollIntoView({ block: "start" });
    } else if (banner) {
      focusOnce(banner);
      banner.scrollIntoView({ block: "start" });
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
    Array.prototype.forEach.call(document.querySelectorAll("[data-character-count]"), characterCount);
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
