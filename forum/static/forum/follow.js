// Follow and mute buttons (forum/_follow.html), live over the forum socket (forum.js's
// window.tcriForum). A choice made in another tab or device arrives as follow.changed and
// every control of that thread or space on the page shows it; a click here sends
// follow.set and its ack does the same. Without a socket the buttons are plain form posts.
// Protocol: docs/websocket-protocol.md, "follow.set" and "follow.changed".
(function () {
  "use strict";
  if (!window.tcriForum) return;

  function formsOf(target, id) {
    return document.querySelectorAll(
      "form.forum-follow[data-follow-target='" + target + "'][data-follow-id='" + id + "']"
    );
  }

  function show(form, mode) {
    mode = mode || "none";
    if (form.dataset.followMode === mode) return;
    var hadFocus = form.contains(document.activeElement);
    form.dataset.followMode = mode;
    var state = form.querySelector(".forum-follow-state");
    if (state) state.textContent = mode === "follow" ? form.dataset.labelFollow : mode === "mute" ? form.dataset.labelMute : "";
    var first = null;
    form.querySelectorAll("button[data-show-when]").forEach(function (button) {
      var visible = button.dataset.showWhen.split(" ").indexOf(mode) !== -1;
      button.hidden = !visible;
      if (visible && !first) first = button;
    });
    // The focused button may just have been hidden: keep the keyboard in the form.
    if (hadFocus && first && (!form.contains(document.activeElement) || document.activeElement.hidden)) first.focus();
  }

  function apply(payload) {
    if (!payload || !payload.target || payload.id == null) return;
    formsOf(payload.target, payload.id).forEach(function (form) { show(form, payload.mode); });
  }

  window.tcriForum.onFrame(function (ev) {
    if (ev.type === "follow.changed") apply(ev.payload);
    else if (ev.type === "ack" && ev.payload && ev.payload.ref === "follow.set") apply(ev.payload);
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("form.forum-follow button[name=mode]");
    if (!button) return;
    var form = button.form;
    var frame = { type: "follow.set", payload: { mode: button.value } };
    var id = parseInt(form.dataset.followId, 10);
    if (form.dataset.followTarget === "thread") frame.thread = id; else frame.space = id;
    if (window.tcriForum.send(frame)) event.preventDefault();  // else the form posts
  });
})();
