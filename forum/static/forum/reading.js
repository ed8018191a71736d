// A thread page opens at the "new messages" line when there is one (and no other anchor);
// the "write a message" link puts the cursor in the composer.
(function () {
  "use strict";
  var line = document.getElementById("nouveaux");
  if (line && !window.location.hash) line.scrollIntoView({ block: "start" });
  var jump = document.querySelector(".forum-jump-compose");
  var box = document.querySelector("#forum-form textarea[name=body]");
  if (jump && box) jump.addEventListener("click", function (e) { e.preventDefault(); box.focus(); box.scrollIntoView({ block: "center" }); });
})();
