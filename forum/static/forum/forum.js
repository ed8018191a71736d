// Live exchange spaces. The pages work without this script (plain forms, pagination);
// it adds live messages, typing, presence, read markers, drafts and resume after a cut.
// Protocol: docs/websocket-protocol.md.
(function () {
  "use strict";
  if (!("WebSocket" in window)) return;

  var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
  var url = scheme + window.location.host + "/ws/forum/";
  var root = document.getElementById("forum-thread");
  var spaceList = document.querySelector("[data-forum-space]");
  var strings = {};
  var stringsNode = document.getElementById("forum-strings");
  if (stringsNode) { try { strings = JSON.parse(stringsNode.textContent); } catch (e) { strings = {}; } }
  function t(key, params) {
    var s = strings[key] || key;
    if (params) Object.keys(params).forEach(function (k) { s = s.replace("%(" + k + ")s", params[k]); });
    return s;
  }

  var socket = null;
  var delay = 500;
  var closedByUs = false;
  var pingTimer = null;

  function send(frame) {
    if (socket && socket.readyState === WebSocket.OPEN) { socket.send(JSON.stringify(frame)); return true; }
    return false;
  }

  // Other forum scripts (reactions.js, follow.js) send frames on this socket and hear
  // every frame it receives; send() returns false when the socket is not open.
  var listeners = [];
  window.tcriForum = { send: send, onFrame: function (fn) { listeners.push(fn); } };

  function newId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID().replace(/-/g, "");
    return String(Date.now()) + Math.random().toString(16).slice(2);
  }

  // ---- Thread page ---------------------------------------------------------------
  var threadId = root ? parseInt(root.dataset.thread, 10) : null;
  var lastSeq = root ? parseInt(root.dataset.seq, 10) || 0 : 0;
  var myId = root ? parseInt(root.dataset.user, 10) : null;
  var live = root ? root.dataset.live === "1" : false;
  var list = document.getElementById("forum-messages");
  var statusNode = document.getElementById("forum-status");
  var typingNode = document.getElementById("forum-typing");
  var presenceNode = document.getElementById("forum-presence");
  var form = document.getElementById("forum-form");
  var textarea = form ? form.querySelector("textarea[name=body]") : null;
  var draftKey = threadId ? "tcri-forum-draft-" + threadId : null;
  var pending = {}; // client_id -> frame, resent after a reconnect (idempotent)
  var typingTimers = {};
  var typingSentAt = 0;

  function setStatus(text) {
    if (!statusNode) return;
    statusNode.hidden = !text;
    statusNode.textContent = text || "";
  }

  function highestId() {
    var items = list ? list.querySelectorAll("li[data-id]") : [];
    var max = 0;
    for (var i = 0; i < items.length; i++) max = Math.max(max, parseInt(items[i].dataset.id, 10));
    return max;
  }

  function markRead() {
    if (!threadId || document.visibilityState !== "visible") return;
    var id = highestId();
    if (id) send({ type: "read", thread: threadId, id: id });
  }

  function renderBody(li, p) {
    var article = li.querySelector("article");
    var old = article.querySelectorAll(".forum-body, .forum-placeholder, .forum-attachments");
    for (var i = 0; i < old.length; i++) old[i].remove();
    var actions = article.querySelector(".forum-actions");
    var node;
    if (p.deleted || p.hidden) {
      node = document.createElement("p");
      node.className = "forum-placeholder";
      node.textContent = p.deleted ? t("deleted") : t("hidden");
      li.classList.toggle("is-deleted", !!p.deleted);
      li.classList.toggle("is-hidden", !!p.hidden);
      if (actions) actions.remove();
    } else {
      node = document.createElement("div");
      node.className = "forum-body";
      node.innerHTML = p.html; // sanitised on the server (markdown-it + nh3)
      li.classList.remove("is-hidden");
    }
    article.insertBefore(node, actions || null);
    if (!p.deleted && !p.hidden && p.attachments && p.attachments.length) {
      // Links at once, then the server's own rendering (thumbnails, cards with type and
      // size in this page's language: forum/_attachments.html) replaces them.
      var ul = document.createElement("ul");
      ul.className = "forum-attachments";
      p.attachments.forEach(function (a) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = a.url; link.textContent = a.name;
        item.appendChild(link); ul.appendChild(item);
      });
      article.insertBefore(ul, actions || null);
      loadAttachments(ul, p.id);
    }
    if (p.edited && !article.querySelector(".forum-edited")) {
      var flag = document.createElement("span");
      flag.className = "forum-flag forum-edited";
      flag.textContent = t("edited");
      article.querySelector(".forum-message-head").appendChild(flag);
    }
  }

  function loadAttachments(ul, messageId) {
    if (!window.fetch) return;
    window.fetch("/espaces/message/" + messageId + "/pieces-jointes/", { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html || !ul.parentNode) return;
        var box = document.createElement("div");
        box.innerHTML = html; // rendered by the server from stored names (escaped by the template)
        var fresh = box.querySelector(".forum-attachments");
        if (fresh) ul.parentNode.replaceChild(fresh, ul);
      })
      .catch(function () { /* the plain links stay */ });
  }

  function buildMessage(p) {
    var li = document.createElement("li");
    li.id = "m" + p.id;
    li.className = "forum-message" + (p.author.id !== myId ? " is-unread" : "");
    li.dataset.id = p.id;
    var article = document.createElement("article");
    article.setAttribute("aria-labelledby", "m" + p.id + "-author");
    var head = document.createElement("header");
    head.className = "forum-message-head";
    var who = document.createElement("strong");
    who.id = "m" + p.id + "-author";
    who.textContent = p.author.name;
    var when = document.createElement("a");
    when.className = "forum-time";
    when.href = "/espaces/message/" + p.id + "/";
    var time = document.createElement("time");
    time.dateTime = p.created_at; time.textContent = p.created_label;
    when.appendChild(time);
    head.appendChild(who); head.appendChild(document.createTextNode(" ")); head.appendChild(when);
    article.appendChild(head);
    if (p.reply_to) {
      var reply = document.createElement("p");
      reply.className = "forum-reply-to";
      var rl = document.createElement("a");
      rl.href = "#m" + p.reply_to; rl.textContent = t("replyTo");
      reply.appendChild(rl); article.appendChild(reply);
    }
    if (!p.deleted && !p.hidden) {
      var actions = document.createElement("ul");
      actions.className = "forum-actions";
      if (root.dataset.mayPost === "1") {
        var a1 = document.createElement("li");
        var l1 = document.createElement("a");
        l1.href = "?reply=" + p.id + "#composer"; l1.textContent = t("reply"); l1.dataset.reply = p.id;
        a1.appendChild(l1); actions.appendChild(a1);
      }
      if (p.author.id !== myId) {
        var a2 = document.createElement("li");
        var l2 = document.createElement("a");
        l2.href = "/espaces/message/" + p.id + "/signaler/"; l2.textContent = t("report");
        a2.appendChild(l2); actions.appendChild(a2);
      }
      article.appendChild(actions);
    }
    li.appendChild(article);
    renderBody(li, p);
    return li;
  }

  function applyEvent(ev) {
    if (typeof ev.seq === "number") {
      if (ev.seq <= lastSeq) return; // duplicate
      lastSeq = ev.seq;
      root.dataset.seq = String(lastSeq);
    }
    var p = ev.payload || {};
    if (ev.type === "message.created") {
      if (!live || !list) { setStatus(t("newMessages")); return; }
      if (document.getElementById("m" + p.id)) return;
      list.appendChild(buildMessage(p));
      markRead();
    } else if (ev.type.indexOf("message.") === 0) {
      var li = document.getElementById("m" + p.id);
      if (li) renderBody(li, p);
    } else if (ev.type.indexOf("thread.") === 0) {
      var pinned = root.querySelector("[data-flag=pinned]");
      var locked = root.querySelector("[data-flag=locked]");
      if (pinned) pinned.hidden = !p.pinned;
      if (locked) locked.hidden = !p.locked;
      if (root.dataset.moderator !== "1") setComposerLocked(!!p.locked);
    }
  }

  // Locked or unlocked while the page is open: moderators may still write; others see the
  // composer give way to a notice (the draft stays in the hidden field and in storage).
  function setComposerLocked(lockedNow) {
    var formEl = document.getElementById("forum-form");
    var note = document.getElementById("forum-locked");
    if (formEl) formEl.hidden = lockedNow;
    if (note) {
      if (!lockedNow && !formEl) note.textContent = t("unlocked");  // rendered locked: no form to show
      note.hidden = !lockedNow && !!formEl;
    }
    root.dataset.mayPost = formEl && !lockedNow ? "1" : "0";
    root.querySelectorAll("[data-reply]").forEach(function (link) {
      if (link.parentNode) link.parentNode.hidden = lockedNow;
    });
  }

  function onThreadFrame(ev) {
    if (ev.thread !== threadId) return;
    switch (ev.type) {
      case "subscribed":
        setStatus("");
        markRead();
        Object.keys(pending).forEach(function (cid) { send(pending[cid]); });
        break;
      case "ack":
        if (ev.client_id && pending[ev.client_id]) {
          delete pending[ev.client_id];
          if (textarea && !textarea.value) {
            try { window.localStorage.removeItem(draftKey); } catch (e) { /* ignore */ }
          }
          if (form && form.elements.client_id && form.elements.client_id.value === ev.client_id) {
            form.elements.client_id.value = newId();
          }
        }
        break;
      case "typing":
        if (!typingNode) break;
        typingNode.textContent = t("typing", { name: ev.payload.user.name });
        clearTimeout(typingTimers.clear);
        typingTimers.clear = setTimeout(function () { typingNode.textContent = ""; }, 4000);
        break;
      case "presence":
        if (!presenceNode) break;
        var names = ev.payload.readers.map(function (r) { return r.name; });
        presenceNode.hidden = names.length === 0;
        presenceNode.textContent = t("readers", { names: names.join(", ") });
        break;
      case "resync":
        lastSeq = ev.seq;
        setStatus(t("resync"));
        break;
      case "read.marker":
        break;
      default:
        applyEvent(ev);
    }
  }

  function showFormError(message) {
    if (!form) return;
    var box = form.querySelector(".forum-live-error");
    if (!box) {
      box = document.createElement("div");
      box.className = "form-errors forum-live-error";
      box.setAttribute("role", "alert");
      form.insertBefore(box, form.firstChild);
    }
    box.textContent = message;
  }

  function clearFormError() {
    var box = form && form.querySelector(".forum-live-error");
    if (box) box.remove();
    var warn = form && form.querySelector(".forum-confirm");
    if (warn) warn.remove();
  }

  // The server found what looks like a client identifier (docs/websocket-protocol.md,
  // needs_confirmation): nothing was stored. Give the text back, say what was found, and
  // offer to send the same frame again with confirmed: true.
  function askConfirmation(ev) {
    var frame = ev.client_id && pending[ev.client_id];
    if (!frame || !form) return;
    delete pending[ev.client_id];
    if (textarea && !textarea.value) textarea.value = frame.payload.body;
    clearFormError();
    var box = document.createElement("div");
    box.className = "form-errors forum-confirm";
    box.setAttribute("role", "alert");
    var text = document.createElement("p");
    text.textContent = ev.payload.message;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button";
    button.textContent = t("confirmPost");
    button.addEventListener("click", function () {
      frame.payload.confirmed = true;
      pending[frame.client_id] = frame;
      if (!send(frame)) setStatus(t("offline"));
      box.remove();
      if (textarea) textarea.value = "";
    });
    box.appendChild(text);
    box.appendChild(button);
    form.insertBefore(box, form.firstChild);
    if (textarea) textarea.focus();
  }

  // The browser's own file button speaks the browser's language ("Choose File" in a French
  // page): keep the native input (visually hidden, still focusable) behind a label in the
  // page's language and the chosen file's name.
  function labelFileInputs() {
    document.querySelectorAll("form input[type=file]").forEach(function (input) {
      if (input.dataset.labelled) return;
      input.dataset.labelled = "1";
      input.classList.add("visually-hidden");
      var label = document.createElement("label");
      label.setAttribute("for", input.id);
      label.className = "button secondary forum-file-button";
      label.textContent = t("chooseFile");
      var chosen = document.createElement("span");
      chosen.className = "forum-file-name";
      chosen.setAttribute("aria-live", "polite");
      chosen.textContent = t("noFile");
      input.addEventListener("change", function () {
        var names = Array.prototype.map.call(input.files || [], function (f) { return f.name; });
        chosen.textContent = names.length ? names.join(", ") : t("noFile");
      });
      input.addEventListener("focus", function () { label.classList.add("focused"); });
      input.addEventListener("blur", function () { label.classList.remove("focused"); });
      input.parentNode.insertBefore(label, input.nextSibling);
      input.parentNode.insertBefore(chosen, label.nextSibling);
    });
  }
  labelFileInputs();

  if (form && textarea) {
    try {
      var saved = window.localStorage.getItem(draftKey);
      if (saved && !textarea.value) { textarea.value = saved; setStatus(t("draftRestored")); }
    } catch (e) { /* storage disabled: drafts simply do not persist */ }
    textarea.addEventListener("input", function () {
      try { window.localStorage.setItem(draftKey, textarea.value); } catch (e) { /* ignore */ }
      var now = Date.now();
      if (now - typingSentAt > 2000 && textarea.value) {
        typingSentAt = now;
        send({ type: "typing", thread: threadId });
      }
    });
    form.addEventListener("submit", function (event) {
      var file = form.querySelector("input[type=file]");
      var open = socket && socket.readyState === WebSocket.OPEN;
      if ((file && file.files && file.files.length) || !live || (!open && navigator.onLine)) {
        // Plain form post (attachments, older pages, no socket): the server re-renders the
        // text if it is refused, so the saved draft is no longer needed.
        try { window.localStorage.removeItem(draftKey); } catch (e) { /* ignore */ }
        return;
      }
      event.preventDefault();
      var body = textarea.value;
      if (!body.trim()) { showFormError(t("empty")); return; }
      var cid = (form.elements.client_id && form.elements.client_id.value) || newId();
      var reply = form.elements.reply_to && form.elements.reply_to.value;
      var frame = { type: "message.create", thread: threadId, client_id: cid,
                    payload: { body: body, reply_to: reply ? parseInt(reply, 10) : null } };
      pending[cid] = frame; // resent on every (re)subscription until acknowledged
      if (!send(frame)) setStatus(t("offline"));
      clearFormError();
      textarea.value = "";
      if (form.elements.reply_to) form.elements.reply_to.value = "";
    });
  }

  // ---- Space page: unread badges -------------------------------------------------
  function onSpaceFrame(ev) {
    if (ev.type !== "thread.activity" || ev.payload.own) return;
    var item = spaceList.querySelector("li[data-thread='" + ev.thread + "'] .forum-unread");
    if (!item) return;
    var n = (parseInt(item.dataset.unread, 10) || 0) + 1;
    item.dataset.unread = String(n);
    item.hidden = false;
    var label = n === 1 ? spaceList.dataset.unreadOne : spaceList.dataset.unreadMany;
    item.textContent = (label || "__n__").replace("__n__", String(n));
  }

  // ---- Connection ----------------------------------------------------------------
  function connect() {
    if (!navigator.onLine) { setStatus(t("offline")); return; }
    closedByUs = false;
    socket = new WebSocket(url);
    socket.onopen = function () {
      delay = 500;
      if (threadId) send({ type: "subscribe", thread: threadId, last_seq: lastSeq });
      if (spaceList) send({ type: "subscribe_space", space: parseInt(spaceList.dataset.forumSpace, 10) });
      clearInterval(pingTimer);
      pingTimer = setInterval(function () { send({ type: "ping" }); }, 30000);
    };
    socket.onmessage = function (message) {
      var ev;
      try { ev = JSON.parse(message.data); } catch (e) { return; }
      listeners.forEach(function (fn) { try { fn(ev); } catch (e) { /* a listener's bug stays its own */ } });
      if (ev.type === "error" && ev.payload && ev.payload.ref === "reaction.set") return;  // reactions.js shows it
      if (ev.type === "needs_confirmation") { askConfirmation(ev); return; }
      if (ev.type === "error") {
        var code = ev.payload && ev.payload.code;
        if (ev.client_id && pending[ev.client_id]) {
          var lost = pending[ev.client_id];
          delete pending[ev.client_id];
          if (textarea && !textarea.value) textarea.value = lost.payload.body; // nothing is lost
        }
        if (code === "thread_locked") { showFormError(t("locked")); return; }
        if (ev.payload && ev.payload.message && ev.payload.ref !== "typing" && ev.payload.ref !== "read") {
          showFormError(ev.payload.message);
        }
        return;
      }
      if (threadId) onThreadFrame(ev);
      if (spaceList) onSpaceFrame(ev);
    };
    socket.onclose = function (event) {
      clearInterval(pingTimer);
      socket = null;
      if (closedByUs) return;
      if (event.code === 4401 || event.code === 4403 || event.code === 4404) return;
      setStatus(t("reconnecting"));
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 15000);
    };
  }

  window.addEventListener("offline", function () {
    setStatus(t("offline"));
    if (socket) { closedByUs = true; socket.close(); socket = null; }
  });
  window.addEventListener("online", function () { setStatus(""); delay = 500; if (!socket) connect(); });
  document.addEventListener("visibilitychange", markRead);
  if (threadId || spaceList) connect();
})();
