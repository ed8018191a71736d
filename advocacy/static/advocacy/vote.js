/* Live vote results: the server pushes the motion's state; on reconnect it sends it again. */
(function () {
  "use strict";
  var script = document.currentScript;
  var motionId = script && script.dataset.motion;
  if (!motionId) { return; }
  var labels = JSON.parse((document.getElementById("vote-labels") || {}).textContent || "{}");
  var tally = document.querySelector("[data-tally]");
  var indicator = document.querySelector("[data-connection]");
  var liveError = document.getElementById("live-error");
  var delay = 1000;

  function setText(selector, value) {
    var el = tally.querySelector(selector);
    if (el) { el.textContent = value; }
  }

  function render(state) {
    if (!tally) { return; }
    tally.dataset.status = state.status;
    setText('[data-field="status_label"]', labels.status && labels.status[state.status] || state.status_label);
    // A secret vote's counts stay on the server until the close: only "voted" comes.
    var counts = tally.querySelector("[data-counts]");
    var hidden = tally.querySelector("[data-counts-hidden]");
    if (counts) { counts.hidden = !state.counts; }
    if (hidden) { hidden.hidden = !!state.counts; }
    if (state.counts) {
      ["for", "against", "abstain"].forEach(function (c) { setText('[data-count="' + c + '"]', state.counts[c]); });
    }
    setText('[data-field="voted"]', state.voted);
    if (state.entered) {
      var entered = 0;
      Object.keys(state.entered).forEach(function (c) { entered += state.entered[c]; setText('[data-entered="' + c + '"]', state.entered[c]); });
      var box = tally.querySelector("[data-entered-box]");
      if (box) { box.hidden = entered === 0; }
    }
    setText('[data-field="eligible"]', state.eligible);
    setText('[data-field="quorum_present"]', state.quorum.present);
    setText('[data-field="quorum_required"]', state.quorum.required);
    setText('[data-field="quorum_label"]', state.quorum.met ? labels.met : labels.not_met);
    var result = tally.querySelector('[data-field="result_label"]');
    if (result) {
      result.hidden = !state.result;
      result.textContent = state.result ? (labels.result && labels.result[state.result]) || state.result_label : "";
    }
    var list = tally.querySelector("[data-roll-call]");
    var box = tally.querySelector("[data-roll-call-box]");
    if (box && state.roll_call) { box.hidden = false; box.open = true; }
    if (list && state.roll_call) {
      list.textContent = "";
      state.roll_call.forEach(function (row) {
        var li = document.createElement("li");
        var text = row.organisation + " : " + ((labels.choice && labels.choice[row.choice]) || row.choice);
        if (row.channel && row.channel !== "online") { text += " (" + ((labels.channel && labels.channel[row.channel]) || row.channel_label) + ")"; }
        if (row.proxy) { text += " (" + (labels.proxy || "") + ")"; }
        li.textContent = text;
        list.appendChild(li);
      });
    }
    if (state.status === "closed") {
      document.querySelectorAll(".ballot-form, #enter-ballot-form").forEach(function (form) { form.hidden = true; });
    }
  }

  function connect() {
    var proto = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(proto + window.location.host + "/ws/votes/" + motionId + "/");
    socket.onopen = function () {
      delay = 1000;
      if (indicator) { indicator.textContent = labels.connected || ""; }
    };
    socket.onmessage = function (event) {
      var data;
      try { data = JSON.parse(event.data); } catch (e) { return; }
      if (data.type === "motion.state") { render(data); }
      else if (data.type === "error" && data.message && liveError) {
        liveError.textContent = data.message;
        liveError.hidden = false;
      }
    };
    socket.onclose = function (event) {
      if (indicator) { indicator.textContent = labels.reconnecting || ""; }
      if (event.code >= 4400 && event.code < 4500) { return; }
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 15000);
    };
  }
  var initial = document.getElementById("motion-state");
  if (initial) { render(JSON.parse(initial.textContent)); }
  connect();
})();
