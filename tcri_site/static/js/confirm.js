/* Irreversible actions: a form (or its submit button) with data-confirm="<dialog id>" opens
   that native <dialog> first. Confirming posts the form with confirmed=1; Cancel or Escape
   closes the dialog and gives focus back. Tab stays inside the dialog while it is open.
   Without this script the server asks on a confirmation page instead. */
(function () {
  "use strict";
  var FOCUSABLE = 'button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])';

  function trap(dialog, event) {
    if (event.key !== "Tab") { return; }
    var items = Array.prototype.filter.call(dialog.querySelectorAll(FOCUSABLE), function (el) { return !el.disabled; });
    if (!items.length) { return; }
    var first = items[0], last = items[items.length - 1];
    if (event.shiftKey && document.activeElement === first) { last.focus(); event.preventDefault(); }
    else if (!event.shiftKey && document.activeElement === last) { first.focus(); event.preventDefault(); }
  }

  function ask(form, submitter, dialog) {
    if (typeof dialog.showModal !== "function") { return false; }
    var yes = dialog.querySelector("[data-confirm-yes]");
    var no = dialog.querySelector("[data-confirm-no]");
    function onKey(event) { trap(dialog, event); }
    function done() {
      dialog.removeEventListener("keydown", onKey);
      yes.onclick = null;
      no.onclick = null;
      if (submitter && submitter.focus) { submitter.focus(); }
    }
    dialog.addEventListener("keydown", onKey);
    dialog.addEventListener("close", done, { once: true });
    no.onclick = function () { dialog.close(); };
    yes.onclick = function () {
      var input = form.querySelector('input[name="confirmed"]');
      if (!input) {
        input = document.createElement("input");
        input.type = "hidden";
        input.name = "confirmed";
        form.appendChild(input);
      }
      input.value = "1";
      form.dataset.confirmedNow = "1";
      dialog.close();
      if (form.requestSubmit) { form.requestSubmit(submitter || undefined); } else { form.submit(); }
    };
    dialog.showModal();
    yes.focus();
    return true;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter || null;
    var id = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
    if (!id) { return; }
    if (form.dataset.confirmedNow === "1") { delete form.dataset.confirmedNow; return; }
    var dialog = document.getElementById(id);
    if (dialog && ask(form, submitter, dialog)) { event.preventDefault(); }
  });
})();
