/* Quick exit: the button, or Shift pressed three times, replaces this page with a
   neutral site (no history entry to come back to) and asks the server to end the
   session. Without JavaScript the button is a plain link doing the same. */
(function () {
  "use strict";
  var link = document.getElementById("quick-exit");
  if (!link) { return; }
  var target = link.getAttribute("data-exit-to");
  var beacon = link.getAttribute("data-beacon");

  function leave(event) {
    if (event) { event.preventDefault(); }
    try {
      if (navigator.sendBeacon) { navigator.sendBeacon(beacon); }
      else { fetch(beacon, { method: "POST", keepalive: true, credentials: "same-origin" }); }
      sessionStorage.clear();
      localStorage.clear();
    } catch (e) { /* leaving matters more than tidying */ }
    document.body.innerHTML = "";
    document.title = "";
    window.location.replace(target);
  }

  link.addEventListener("click", leave);

  // Shift on its own, three times in a row. Any other key starts the count again, so
  // typing capital letters in a form never leaves the site by accident.
  var presses = [];
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift") { presses = []; return; }
    if (event.repeat) { return; }
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < 1500; });
    presses.push(now);
    if (presses.length >= 3) { leave(); }
  });
}());
