// @-mention autocomplete in the composer (ARIA 1.2 combobox with a listbox popup), and
// links for the @handles of messages that arrive live. Without this script mentions
// still work: type @handle; the server renders the links.
(function () {
  "use strict";
  var form = document.getElementById("forum-form");
  var list = document.getElementById("forum-messages");
  var mine = form && form.dataset.handles ? form.dataset.handles.split(" ") : [];

  // ---- Combobox -------------------------------------------------------------------
  var textarea = form ? form.querySelector("textarea[name=body]") : null;
  if (form && textarea && form.dataset.mentions) {
    var box = document.createElement("ul");
    box.id = "forum-mention-list";
    box.className = "forum-mention-list";
    box.setAttribute("role", "listbox");
    box.setAttribute("aria-label", form.dataset.mentionLabel);
    box.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    textarea.parentNode.insertBefore(box, textarea.nextSibling);
    textarea.parentNode.insertBefore(status, box.nextSibling);
    textarea.setAttribute("role", "combobox");
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.setAttribute("aria-controls", box.id);
    textarea.setAttribute("aria-expanded", "false");
    var items = [], active = -1, timer = null, asked = 0, token = null;

    var currentToken = function () {
      var upto = textarea.value.slice(0, textarea.selectionStart);
      var m = /(^|[^\w@\/])@([\w.\-]{2,30})$/.exec(upto);
      return m ? { query: m[2], start: upto.length - m[2].length - 1, end: upto.length } : null;
    };
    var close = function () {
      box.hidden = true; box.textContent = ""; items = []; active = -1;
      textarea.setAttribute("aria-expanded", "false");
      textarea.removeAttribute("aria-activedescendant");
    };
    var highlight = function (i) {
      active = i;
      items.forEach(function (li, j) { li.setAttribute("aria-selected", j === i ? "true" : "false"); });
      if (i >= 0) { textarea.setAttribute("aria-activedescendant", items[i].id); items[i].scrollIntoView({ block: "nearest" }); }
      else textarea.removeAttribute("aria-activedescendant");
    };
    var choose = function (i) {
      if (!token || !items[i]) return;
      var handle = items[i].dataset.handle;
      var v = textarea.value;
      textarea.value = v.slice(0, token.start) + "@" + handle + " " + v.slice(token.end);
      var caret = token.start + handle.length + 2;
      textarea.setSelectionRange(caret, caret);
      textarea.dispatchEvent(new Event("input"));  // keeps the draft as today
      close();
      textarea.focus();
    };
    var show = function (results) {
      box.textContent = ""; items = [];
      results.forEach(function (r, i) {
        var li = document.createElement("li");
        li.id = "forum-mention-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.dataset.handle = r.handle;
        var strong = document.createElement("strong"); strong.textContent = "@" + r.handle;
        li.appendChild(strong); li.appendChild(document.createTextNode(" " + r.label));
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
        box.appendChild(li); items.push(li);
      });
      if (!items.length) { close(); status.textContent = form.dataset.mentionNone; return; }
      box.hidden = false;
      textarea.setAttribute("aria-expanded", "true");
      highlight(0);
      status.textContent = form.dataset.mentionCount.replace("__n__", String(items.length));
    };
    var ask = function () {
      token = currentToken();
      if (!token) { close(); return; }
      var n = ++asked;
      fetch(form.dataset.mentions + "?q=" + encodeURIComponent(token.query), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) { if (n === asked) show(data.results || []); })
        .catch(close);
    };
    textarea.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(ask, 150); });
    textarea.addEventListener("keydown", function (e) {
      if (box.hidden || !items.length) return;
      if (e.key === "ArrowDown") { e.preventDefault(); highlight((active + 1) % items.length); }
      else if (e.key === "ArrowUp") { e.preventDefault(); highlight((active - 1 + items.length) % items.length); }
      else if (e.key === "Enter" || e.key === "Tab") { if (active >= 0) { e.preventDefault(); choose(active); } }
      else if (e.key === "Escape") { e.preventDefault(); close(); }
    });
    textarea.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  // ---- Live messages: link the handles they name -----------------------------------
  if (!list) return;
  var known = {};
  list.querySelectorAll("a.mention").forEach(function (a) { known[a.textContent.slice(1).toLowerCase()] = { href: a.href, title: a.title }; });
  var linkify = function (body) {
    var walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT, null);
    var nodes = [], node;
    while ((node = walker.nextNode())) if (node.nodeValue.indexOf("@") >= 0 && !node.parentNode.closest("a, code, pre")) nodes.push(node);
    nodes.forEach(function (text) {
      var re = /(^|[^\w@\/])@([A-Za-z0-9][\w.\-]*[A-Za-z0-9_]|[A-Za-z0-9])/g, m, last = 0, frag = document.createDocumentFragment(), v = text.nodeValue;
      while ((m = re.exec(v))) {
        var handle = m[2].toLowerCase(), at = m.index + m[1].length;
        var isMine = mine.indexOf(handle) >= 0;
        if (!known[handle] && !isMine) continue;
        frag.appendChild(document.createTextNode(v.slice(last, at)));
        var a = document.createElement(known[handle] ? "a" : "span");
        if (known[handle]) { a.href = known[handle].href; a.title = known[handle].title; }
        a.className = isMine ? "mention mention-me" : "mention";
        a.textContent = "@" + m[2];
        frag.appendChild(a);
        last = at + m[2].length + 1;
      }
      if (!last) return;
      frag.appendChild(document.createTextNode(v.slice(last)));
      text.parentNode.replaceChild(frag, text);
    });
  };
  new MutationObserver(function (records) {
    records.forEach(function (r) {
      r.addedNodes.forEach(function (n) {
        if (n.nodeType !== 1) return;
        var body = n.classList.contains("forum-body") ? n : n.querySelector && n.querySelector(".forum-body");
        if (body) linkify(body);
      });
    });
  }).observe(list, { childList: true, subtree: true });
})();
