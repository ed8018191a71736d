/* Forum session page: the quorum and the organisations present, pushed by the server as
   the chair calls the roll or délégué·es cast their first ballot. Without JavaScript the
   page shows the state at load time. */
(function () {
  "use strict";
  var script = document.currentScript;
  var sessionId = script && script.dataset.session;
  if (!sessionId) { return; }
  var labels = JSON.parse((document.getElementById("session-labels") || {}).textContent || "{}");
  var quorum = document.querySelector("[data-quorum]");
  var list = document.querySelector("[data-present-list]");
  var delay = 1000;

  function render(state) {
    var q = state.quorum;
    if (quorum && labels.line) {
      // The rule the page was rendered with: Django's, singular for exactly 1 (French is
      // the source language, so there is no French plural rule in a catalogue).
      var form = q.present === 1 ? labels.line.one : labels.line.other;
      quorum.querySelector('[data-field="quorum_line"]').textContent = form
        .replace("%(p)s", q.present).replace("%(t)s", q.total).replace("%(r)s", q.required);
      quorum.querySelector('[data-field="quorum_met"]').textContent = q.met ? labels.met : labels.not_met;
    }
    if (list) {
      list.textContent = "";
      var names = state.present.length ? state.present.map(function (o) { return o.name; }) : [list.dataset.empty];
      names.forEach(function (name) {
        var li = document.createElement("li");
        li.textContent = name;
        list.appendChild(li);
      });
    }
  }

  function connect() {
    var proto = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(proto + window.location.host + "/ws/seances/" + sessionId + "/");
    socket.onopen = function () { delay = 1000; };
    socket.onmessage = function (event) {
      var data;
      try { data = JSON.parse(event.data); } catch (e) { return; }
      if (data.type === "session.state") { render(data); }
      // sitting.js (speakers, roll call, projection) listens on the same socket.
      document.dispatchEvent(new CustomEvent("session:message", { detail: data }));
    };
    socket.onclose = function (event) {
      if (event.code >= 4400 && event.code < 4500) { return; }
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 15000);
    };
  }
  connect();
})();
