/* The projector: renders projector.state (what the chair projects), the projected vote's
   motion.state, session.state (quorum) and speakers.state from /ws/seances/<id>/projecteur/.
   The countdown is computed here from the server's start time and limit, corrected by the
   server's clock, so a projector that reconnects shows the right time left. */
(function () {
  "use strict";
  var main = document.querySelector("[data-wall]");
  if (!main) { return; }
  var L = JSON.parse(document.getElementById("projector-labels").textContent);
  var state = JSON.parse(document.getElementById("projector-state").textContent);
  var sessionId = main.dataset.wall;
  var speakers = state.speakers;
  var offset = 0;
  var delay = 1000;
  function $(sel) { return document.querySelector(sel); }
  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = text; }
    if (cls) { node.className = cls; }
    return node;
  }

  function renderQuorum(q) {
    if (!q) { return; }
    $("[data-quorum]").textContent = L.quorum + " : " + q.present + " " + L.present + " " + q.total +
      " (" + q.required + " " + L.required + ") — " + (q.met ? L.met : L.not_met);
  }

  function renderVote(vote) {
    var box = $("[data-vote]");
    box.textContent = "";
    if (!vote) { box.hidden = true; return; }
    box.hidden = false;
    box.appendChild(el("p", vote.voted + " " + L.voted + " " + vote.eligible, "wall-voted"));
    if (vote.counts) {
      var ul = el("ul", null, "wall-counts");
      ["for", "against", "abstain"].forEach(function (c) {
        var li = el("li", L[c]);
        var n = el("strong", String(vote.counts[c]));
        n.dataset.count = c;
        li.insertBefore(n, li.firstChild);
        ul.appendChild(li);
      });
      box.appendChild(ul);
    } else {
      box.appendChild(el("p", L.secret));
    }
    if (state.motion) { box.appendChild(el("p", L.threshold + " : " + state.motion.threshold_label)); }
    if (vote.quorum) {
      box.appendChild(el("p", L.quorum + " : " + vote.quorum.present + " / " + vote.quorum.required + " — " + (vote.quorum.met ? L.met : L.not_met)));
    }
    if (vote.result_label) { box.appendChild(el("p", L.result + " : " + vote.result_label, "wall-result")); }
  }

  function renderText(text, diff) {
    var box = $("[data-text]");
    box.textContent = "";
    if (diff) {
      box.setAttribute("aria-label", L.amendment);
      diff.forEach(function (part) {
        if (part[0] === "equal") { box.appendChild(document.createTextNode(part[1])); return; }
        var node = el(part[0] === "del" ? "del" : "ins");
        node.appendChild(el("span", part[0] === "del" ? L.deleted : L.added, "visually-hidden"));
        node.appendChild(document.createTextNode(part[1]));
        box.appendChild(node);
      });
    } else {
      box.removeAttribute("aria-label");
      box.textContent = text || "";
    }
  }

  function render() {
    document.body.dataset.kind = state.kind;
    var title = $("[data-title]");
    var kind = $("[data-kind-label]");
    if (state.kind === "motion" && state.motion) {
      title.textContent = state.motion.title;
      kind.textContent = state.motion.ballot_kind_label + " · " + state.motion.threshold_label;
      renderText(state.motion.text, state.motion.diff);
      renderVote(state.motion.state);
    } else if (state.kind === "item" && state.item) {
      title.textContent = state.item.title;
      kind.textContent = state.item.kind_label;
      renderText(state.item.notes);
      renderVote(null);
    } else {
      title.textContent = state.kind === "speakers" ? L.speakers : state.session_title;
      kind.textContent = state.kind === "nothing" ? L.nothing : "";
      renderText("");
      renderVote(null);
    }
    renderQuorum(state.quorum);
    renderSpeakers(state.speakers);
  }

  function renderSpeakers(s) {
    speakers = s;
    offset = Date.parse(s.server_time) - Date.now();
    $("[data-current]").textContent = s.current ? L.speaking + " : " + s.current.organisation : "";
    var queue = $("[data-queue]");
    queue.textContent = "";
    s.waiting.forEach(function (speech) {
      var li = el("li", speech.organisation);
      if (speech.point_of_order) { li.appendChild(el("span", L.point_of_order, "wall-order")); }
      queue.appendChild(li);
    });
    if (!s.waiting.length && !s.current) { queue.appendChild(el("li", L.no_speakers)); }
    tick();
  }

  function format(seconds) {
    var t = Math.abs(Math.round(seconds));
    return Math.floor(t / 60) + ":" + String(t % 60).padStart(2, "0");
  }

  function tick() {
    var timer = $("[data-timer]");
    var current = speakers && speakers.current;
    timer.classList.remove("over");
    if (!current) { timer.textContent = ""; return; }
    if (!current.started_at) { timer.textContent = format(speakers.limit); timer.title = L.not_started; return; }
    var left = speakers.limit - (Date.now() + offset - Date.parse(current.started_at)) / 1000;
    if (left < 0) { timer.classList.add("over"); }
    timer.textContent = (left < 0 ? "+" : "") + format(left);
    timer.title = left < 0 ? L.overtime : L.remaining;
  }
  setInterval(tick, 250);

  function connect() {
    var proto = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(proto + window.location.host + "/ws/seances/" + sessionId + "/projecteur/");
    var status = $("[data-connection]");
    socket.onopen = function () { delay = 1000; status.textContent = L.live; };
    socket.onmessage = function (event) {
      var data;
      try { data = JSON.parse(event.data); } catch (e) { return; }
      if (data.type === "projector.state") { state = data; render(); }
      else if (data.type === "speakers.state") {
        if (!data.item || data.item === (state.item && state.item.id)) { state.speakers = data; renderSpeakers(data); }
      } else if (data.type === "session.state") { state.quorum = data.quorum; renderQuorum(data.quorum); }
      else if (data.type === "motion.state" && state.motion && data.motion === state.motion.id) {
        state.motion.state = data;
        renderVote(data);
      }
    };
    socket.onclose = function (event) {
      status.textContent = L.offline;
      if (event.code >= 4400 && event.code < 4500) { return; }
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 15000);
    };
  }
  render();
  connect();
})();
