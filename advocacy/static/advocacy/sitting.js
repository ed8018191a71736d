/* The sitting on the session page: the list of speakers (raise or lower a hand, the chair's
   up/down, floor and countdown), the roll call (check in; the chair's filter and bulk
   marking) and the projection buttons. Actions are fetch() POSTs; every change comes back
   to every page as a socket event relayed by session.js ("session:message"). Without
   JavaScript the forms post and the page reloads. */
(function () {
  "use strict";
  var root = document.querySelector("[data-sitting]");
  var initialNode = document.getElementById("sitting-initial");
  if (!root || !initialNode) { return; }
  var initial = JSON.parse(initialNode.textContent);
  var L = initial.labels;
  var sessionId = root.dataset.sitting;
  var csrf = root.dataset.csrf;
  var base = window.location.pathname.replace(/seances\/\d+\/.*$/, "seances/" + sessionId + "/");
  var status = root.querySelector("[data-sitting-status]");
  var speakers = initial.projector.speakers;
  var offset = 0; // server clock minus this clock, in ms

  function say(text) { if (status) { status.textContent = text; } }

  function post(url, data) {
    var body = new URLSearchParams(data);
    body.append("csrfmiddlewaretoken", csrf);
    return fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrf }
    }).then(function (r) { return r.json().catch(function () { return { ok: false, message: L.failed }; }); })
      .then(function (answer) {
        if (answer.message) { say(answer.message); }
        return answer;
      }, function () { say(L.failed); });
  }

  function button(text, extraLabel, onClick, cls) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = cls || "link-button";
    b.textContent = text;
    if (extraLabel) {
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = " : " + extraLabel;
      b.appendChild(hidden);
    }
    b.addEventListener("click", onClick);
    return b;
  }

  function speechAction(action, speech) {
    return post(base + "parole/" + action + "/", { item: speakers.item, speech: speech.id });
  }

  function renderSpeakers(state) {
    speakers = state;
    offset = Date.parse(state.server_time) - Date.now();
    var itemLine = root.querySelector("[data-speakers-item]");
    var list = root.querySelector("[data-speakers]");
    itemLine.textContent = "";
    if (!state.item) { itemLine.textContent = L.no_item; } else {
      var strong = document.createElement("strong");
      strong.textContent = state.item_title;
      itemLine.appendChild(strong);
    }
    list.textContent = "";
    var mine = { 0: null, 1: null };
    state.waiting.forEach(function (speech, index) {
      var li = document.createElement("li");
      var name = document.createElement("span");
      name.textContent = speech.organisation;
      li.appendChild(name);
      if (speech.point_of_order) {
        var mark = document.createElement("strong");
        mark.className = "badge";
        mark.textContent = " " + L.point_of_order;
        li.appendChild(mark);
      }
      if (speech.person === initial.user) { mine[speech.point_of_order ? 1 : 0] = speech; }
      if (initial.chair) {
        var tools = document.createElement("span");
        tools.className = "speaker-tools";
        if (index > 0 && state.waiting[index - 1].point_of_order === speech.point_of_order) {
          tools.appendChild(button(L.up, speech.organisation, function () { speechAction("up", speech); }));
        }
        var next = state.waiting[index + 1];
        if (next && next.point_of_order === speech.point_of_order) {
          tools.appendChild(button(L.down, speech.organisation, function () { speechAction("down", speech); }));
        }
        tools.appendChild(button(L.give, speech.organisation, function () { speechAction("give", speech); }, "button secondary"));
        li.appendChild(tools);
      }
      list.appendChild(li);
    });
    if (!state.waiting.length) {
      var empty = document.createElement("li");
      empty.className = "meta";
      empty.textContent = L.none;
      list.appendChild(empty);
    }
    var now = root.querySelector("[data-speaker-now]");
    now.textContent = state.current ? L.speaking + " : " + state.current.organisation : "";
    root.querySelectorAll("[data-hand]").forEach(function (b) {
      var own = mine[b.dataset.hand];
      b.setAttribute("aria-pressed", own ? "true" : "false");
      b.dataset.speech = own ? own.id : "";
      b.disabled = !state.item;
    });
    tick();
  }

  function format(seconds) {
    var s = Math.abs(Math.round(seconds));
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  function tick() {
    var timer = root.querySelector("[data-timer]");
    var current = speakers && speakers.current;
    if (!current) { timer.textContent = ""; return; }
    if (!current.started_at) { timer.textContent = format(speakers.limit) + " — " + L.not_started; return; }
    var left = speakers.limit - (Date.now() + offset - Date.parse(current.started_at)) / 1000;
    timer.textContent = left >= 0 ? format(left) + " " + L.remaining : "+" + format(left) + " " + L.overtime;
  }
  setInterval(tick, 500);

  root.querySelectorAll("[data-hand]").forEach(function (b) {
    b.addEventListener("click", function () {
      if (!speakers.item) { return; }
      if (b.getAttribute("aria-pressed") === "true") {
        post(base + "parole/lower/", { item: speakers.item, speech: b.dataset.speech });
      } else {
        post(base + "parole/raise/", { item: speakers.item, point_of_order: b.dataset.hand });
      }
    });
  });
  root.querySelectorAll("[data-speakers-action]").forEach(function (b) {
    b.addEventListener("click", function () {
      if (speakers.item) { post(base + "parole/" + b.dataset.speakersAction + "/", { item: speakers.item }); }
    });
  });
  var limitForm = root.querySelector("[data-limit-form]");
  if (limitForm) {
    limitForm.addEventListener("submit", function (event) {
      event.preventDefault();
      if (speakers.item) { post(base + "parole/limit/", { item: speakers.item, minutes: limitForm.elements.minutes.value }); }
    });
  }

  // Forms with data-sitting-form post through fetch; the socket brings the result.
  root.querySelectorAll("[data-sitting-form]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new FormData(form);
      if (event.submitter && event.submitter.name) { data.set(event.submitter.name, event.submitter.value); }
      data.delete("csrfmiddlewaretoken");
      post(form.action, data).then(function (answer) {
        if (answer && answer.ok && form.hasAttribute("data-roll-form")) {
          form.querySelectorAll("input[type=checkbox]:checked").forEach(function (c) { c.checked = false; });
        }
      });
    });
  });

  function renderRoll(state) {
    var line = root.querySelector("[data-roll-state] strong");
    if (line) { line.textContent = state.open ? L.open : L.closed; }
    var checkIn = root.querySelector("[data-check-in]");
    if (checkIn) { checkIn.hidden = !state.open; }
    var modes = {};
    state.present.forEach(function (p) { modes[p.id] = p.mode || "present"; });
    root.querySelectorAll("tr[data-org]").forEach(function (row) {
      var mode = modes[row.dataset.org];
      row.querySelector("[data-status]").textContent = mode ? (L[mode] || L.present) : L.absent;
    });
    if (checkIn) {
      var ownOrg = checkIn.dataset.org;
      checkIn.querySelectorAll("button[name=mode]").forEach(function (b) {
        var pressed = false;
        state.present.forEach(function (p) { if (String(p.id) === ownOrg && p.mode === b.value) { pressed = true; } });
        b.setAttribute("aria-pressed", pressed ? "true" : "false");
        if (pressed) { checkIn.querySelector("[data-own-status]").textContent = b.textContent; }
      });
    }
  }

  // The chair's filter: at once in the page; the form's GET is the fallback.
  var filter = root.querySelector("[data-roll-filter]");
  if (filter) {
    var apply = function () {
      var q = filter.elements.q.value.trim().toLowerCase();
      var region = filter.elements.region.value;
      root.querySelectorAll("tr[data-org]").forEach(function (row) {
        row.hidden = (q && row.dataset.name.indexOf(q) < 0) || (region && row.dataset.region !== region);
      });
    };
    filter.elements.q.addEventListener("input", apply);
    filter.elements.region.addEventListener("change", apply);
    filter.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
  }
  var selectVisible = root.querySelector("[data-select-visible]");
  if (selectVisible) {
    selectVisible.addEventListener("click", function () {
      root.querySelectorAll("tr[data-org]").forEach(function (row) {
        if (!row.hidden) { row.querySelector("input[type=checkbox]").checked = true; }
      });
    });
  }

  function renderProjection(state) {
    var field = root.querySelector('[data-field="projected"]');
    if (field) { field.textContent = state.motion ? state.motion.title : (state.item ? state.item.title : "—"); }
    renderSpeakers(state.speakers);
  }

  document.addEventListener("session:message", function (event) {
    var data = event.detail;
    if (data.type === "speakers.state") { if (!speakers.item || data.item === speakers.item || !data.item) { renderSpeakers(data); } }
    else if (data.type === "rollcall.state") { renderRoll(data); }
    else if (data.type === "projector.state") { renderProjection(data); }
  });
  renderSpeakers(speakers);
  renderRoll(initial.rollcall);
})();
