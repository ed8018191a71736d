// Live unread badge. The page works without it; this only keeps the number current.
(function () {
  "use strict";
  var badge = document.querySelector("[data-notification-badge]");
  if (!badge || !("WebSocket" in window)) return;
  var delay = 1000;
  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + "/ws/notifications/");
    socket.onopen = function () { delay = 1000; };
    socket.onmessage = function (event) {
      var data;
      try { data = JSON.parse(event.data); } catch (e) { return; }
      if (data.type === "notifications.unread") {
        badge.textContent = String(data.unread);
        document.dispatchEvent(new CustomEvent("tcri:unread", { detail: data.unread }));
      }
    };
    socket.onclose = function (event) {
      if (event.code === 4401 || event.code === 4403) return;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }
  connect();
})();
