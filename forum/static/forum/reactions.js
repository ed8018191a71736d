// Reactions on a thread page, live over the forum socket (forum.js's window.tcriForum).
// Without a socket the buttons stay plain form posts (forum:message_react).
// Protocol: docs/websocket-protocol.md, "reaction.set" and "reaction.changed".
(function () {
  "use strict";
  var root = document.getElementById("forum-thread");
  var list = document.getElementById("forum-messages");
  var template = document.getElementById("forum-reaction-template");
  if (!root || !list || !template) return;
  var threadId = parseInt(root.dataset.thread, 10);
  var order = [];
  template.content.querySelectorAll(".forum-reaction-choice").forEach(function (b) { order.push(b.dataset.reaction); });

  function mineOf(form, code) {
    var b = form.querySelector(".forum-reaction[data-reaction='" + code + "']");
    return !!b && b.getAttribute("aria-pressed") === "true";
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".forum-reactions button[data-reaction]");
    if (!button || !window.tcriForum) return;
    var form = button.closest("form");
    var id = parseInt(form.dataset.reactions, 10);
    var code = button.dataset.reaction;
    var on = !mineOf(form, code);
    var sent = window.tcriForum.send({ type: "reaction.set", thread: threadId, id: id, reaction: code, payload: { on: on } });
    if (!sent) return;  // no socket: the form posts
    event.preventDefault();
    var details = form.querySelector("details");
    if (details && details.open) { details.open = false; details.querySelector("summary").focus(); }
  });

  function choiceOf(form, code) {
    return form.querySelector(".forum-reaction-choice[data-reaction='" + code + "']");
  }

  function apply(ev) {
    var p = ev.payload;
    var form = list.querySelector("form[data-reactions='" + ev.id + "']");
    if (!form) return;
    var ul = form.querySelector(".forum-reaction-list");
    var button = ul.querySelector(".forum-reaction[data-reaction='" + p.kind + "']");
    if (p.count === 0) { if (button) button.parentNode.remove(); return; }
    if (!button) {
      var choice = choiceOf(form, p.kind);
      var li = document.createElement("li");
      button = document.createElement("button");
      button.type = "submit"; button.name = "reaction"; button.className = "forum-reaction";
      button.dataset.reaction = p.kind;
      var emoji = document.createElement("span"); emoji.setAttribute("aria-hidden", "true"); emoji.textContent = p.emoji;
      var label = document.createElement("span"); label.className = "visually-hidden"; label.textContent = (choice ? choice.dataset.label : p.kind) + ",";
      var count = document.createElement("span"); count.className = "forum-reaction-count";
      var names = document.createElement("span"); names.className = "visually-hidden forum-reaction-names";
      button.appendChild(emoji); button.appendChild(label); button.appendChild(document.createTextNode(" "));
      button.appendChild(count); button.appendChild(names);
      li.appendChild(button);
      var rank = order.indexOf(p.kind), before = null;
      ul.querySelectorAll(".forum-reaction").forEach(function (other) {
        if (!before && order.indexOf(other.dataset.reaction) > rank) before = other.parentNode;
      });
      ul.insertBefore(li, before);
    }
    var who = p.names.join(", ");
    button.querySelector(".forum-reaction-count").textContent = String(p.count);
    button.querySelector(".forum-reaction-names").textContent = " (" + who + ")";
    button.title = who;
    button.setAttribute("aria-pressed", p.mine ? "true" : "false");
    button.value = p.kind + ":" + (p.mine ? "0" : "1");
  }

  // Messages that arrive live get the same reaction form as those rendered by the server.
  function equip(li) {
    if (!li.dataset || !li.dataset.id || li.querySelector(".forum-reactions")) return;
    if (li.classList.contains("is-deleted") || li.classList.contains("is-hidden")) return;
    var form = template.content.firstElementChild.cloneNode(true);
    form.dataset.reactions = li.dataset.id;
    form.action = form.getAttribute("action").replace("/0/", "/" + li.dataset.id + "/");
    var article = li.querySelector("article");
    article.insertBefore(form, article.querySelector(".forum-actions"));
  }
  new MutationObserver(function (records) {
    records.forEach(function (r) { r.addedNodes.forEach(function (n) { if (n.nodeType === 1) equip(n); }); });
  }).observe(list, { childList: true });

  if (window.tcriForum) {
    window.tcriForum.onFrame(function (ev) {
      if (ev.thread !== threadId && ev.type !== "error") return;
      if (ev.type === "reaction.changed") apply(ev);
      else if (ev.type === "error" && ev.payload && ev.payload.ref === "reaction.set") {
        var status = document.getElementById("forum-status");
        if (status) { status.hidden = false; status.textContent = ev.payload.message; }
      }
    });
  }
})();
