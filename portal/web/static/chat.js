/* The chat without page reloads. Questions and topic buttons go to the JSON endpoint
   (same origin, with the form's CSRF token); each answer is added to a live region that
   screen readers announce. Nothing is kept in the browser's storage. Without JavaScript,
   or when anything goes wrong, the forms post and the server answers with a full page. */
(function () {
  "use strict";
  var form = document.getElementById("chat-form");
  var log = document.getElementById("chat-log");
  var errors = document.getElementById("chat-errors");
  if (!form || !log || !errors || !window.fetch || !window.FormData) { return; }
  var endpoint = form.getAttribute("data-answer-url");
  var input = document.getElementById("message");
  var thinking = document.getElementById("chat-thinking");
  var waiting = false;

  /* While an answer is on its way the page says so, and every "Ask" and topic button is
     switched off, so a second tap is visibly not taken rather than silently lost. */
  function setWaiting(on) {
    waiting = on;
    if (thinking) { thinking.hidden = !on; }
    if (on) { log.setAttribute("aria-busy", "true"); } else { log.removeAttribute("aria-busy"); }
    var buttons = document.querySelectorAll("form[data-chat] button[type=submit]");
    for (var i = 0; i < buttons.length; i += 1) { buttons[i].disabled = on; }
  }

  function postNormally(target, submitter) {
    if (submitter && submitter.name) {
      var chosen = document.createElement("input");
      chosen.type = "hidden";
      chosen.name = submitter.name;
      chosen.value = submitter.value;
      target.appendChild(chosen);
    }
    target.submit();
  }

  function showAnswer(html, target) {
    errors.innerHTML = "";
    input.removeAttribute("aria-invalid");
    log.insertAdjacentHTML("beforeend", html);
    if (target === form) { input.value = ""; }
    var turns = log.querySelectorAll(".chat-turn");
    turns[turns.length - 1].scrollIntoView({ block: "start" });
  }

  function showErrors(html) {
    errors.innerHTML = html;
    input.setAttribute("aria-invalid", "true");
    var summary = errors.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  }

  document.addEventListener("submit", function (event) {
    var target = event.target;
    if (!target.hasAttribute("data-chat")) { return; }
    // A browser that cannot say which topic button was pressed posts the form itself.
    if (target !== form && !event.submitter) { return; }
    event.preventDefault();
    if (waiting) { return; }
    var submitter = event.submitter;
    var data = new FormData(target);
    if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
    setWaiting(true);
    fetch(endpoint, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") !== 0) { throw new Error("not an answer"); }
      return response.json().then(function (body) {
        if (response.ok) { showAnswer(body.html, target); }
        else if (body.html) { showErrors(body.html); }
        else { throw new Error("no answer"); }
      });
    }).catch(function () {
      postNormally(target, submitter);
    }).then(function () {
      setWaiting(false);
    });
  });
}());
