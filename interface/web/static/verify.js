// Runs `booking verify` on the server and shows its progress, findings and summary.
(function () {
  "use strict";
  var button = document.getElementById("run-verify");
  if (!button || !window.EventSource) { return; }
  var bar = document.getElementById("verify-progress");
  var status = document.getElementById("verify-status");
  var findings = document.getElementById("verify-findings");
  button.addEventListener("click", function () {
    button.disabled = true;
    findings.textContent = "";
    delete status.dataset.outcome;
    bar.hidden = false;
    bar.removeAttribute("value");
    status.textContent = "…";
    var source = new EventSource(button.dataset.stream);
    source.addEventListener("progress", function (event) {
      var progress = JSON.parse(event.data);
      bar.max = Math.max(progress.head, 1);
      bar.value = progress.position;
      status.textContent = progress.position + " / " + progress.head;
    });
    source.addEventListener("finding", function (event) {
      var item = document.createElement("li");
      item.textContent = event.data;  // text, never markup
      findings.appendChild(item);
    });
    source.addEventListener("done", function (event) {
      var summary = JSON.parse(event.data);
      source.close();
      bar.max = 1; bar.value = 1;
      status.textContent = (summary.problems ? button.dataset.problems + ": " + summary.problems
        : button.dataset.ok) + " · " + button.dataset.events + ": " + summary.events + " · "
        + button.dataset.streams + ": " + summary.pets + " / " + summary.clinics + " · "
        + summary.checks.join(", ");
      status.dataset.outcome = summary.problems ? "problems" : "ok";
      button.disabled = false;
    });
    function stopWith(text) {
      // Never let EventSource start another full run by reconnecting.
      source.close();
      bar.hidden = true;
      status.textContent = text;
      button.disabled = false;
    }
    source.addEventListener("busy", function () { stopWith(button.dataset.busy); });
    source.addEventListener("failed", function () { stopWith(button.dataset.failed); });
    source.addEventListener("error", function () {
      if (status.dataset.outcome === undefined) { stopWith(button.dataset.failed); }
    });
  });
})();
