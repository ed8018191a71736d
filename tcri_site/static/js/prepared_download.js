// Prepared download page: follow the progress without reloading (the page also works
// without this script: its "Actualiser" link reloads it).
(function () {
  "use strict";
  var root = document.getElementById("prepared-download");
  if (!root || !root.dataset.pending) return;
  var url = root.dataset.progressUrl;
  var bar = document.getElementById("download-progress");
  function field(name) { return root.querySelector('[data-field="' + name + '"]'); }
  function show(state) {
    bar.value = state.percent;
    bar.textContent = state.percent + " %";
    field("label").textContent = state.label;
    field("percent").textContent = state.percent;
    field("count").textContent = state.count;
    var message = field("message");
    message.textContent = state.message;
    message.hidden = !state.message;
    field("link").hidden = !state.ready;
    if (state.ready || state.status === "failed") {
      var reload = field("reload");
      if (reload) reload.hidden = true;
      return true;
    }
    return false;
  }
  function poll(delay) {
    window.setTimeout(function () {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (state) {
          if (state && show(state)) return;
          poll(Math.min(delay * 1.5, 5000));
        })
        .catch(function () { poll(5000); });
    }, delay);
  }
  poll(1000);
})();
