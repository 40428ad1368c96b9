// The staff's pending list, kept current by server-sent events. Without
// JavaScript the page still works: it is simply not live.
(function () {
  "use strict";
  var status = document.getElementById("live");
  var pending = document.getElementById("pending");
  if (!status || !pending || !window.EventSource) { return; }
  var source = null;

  function show(state, text) { status.dataset.state = state; status.textContent = text; }

  function connect() {
    // From the last position shown: the server sends the rows at once if the list moved since.
    var url = new URL(status.dataset.stream, window.location.href);
    url.searchParams.set("position", pending.dataset.position);
    source = new EventSource(url);
    source.addEventListener("open", function () { show("open", status.dataset.live); });
    source.addEventListener("error", function () {
      // EventSource reconnects by itself, sending the last event id it got.
      show("closed", status.dataset.reconnecting);
    });
    source.addEventListener("rows", function (event) {
      // Rendered and escaped by the server: the same rows the page itself shows.
      pending.innerHTML = event.data;
      pending.dataset.position = event.lastEventId;
      show("open", status.dataset.live);
    });
  }

  // A phone that loses its network: stop, then start again from what is on screen.
  window.addEventListener("offline", function () {
    source.close();
    show("closed", status.dataset.reconnecting);
  });
  window.addEventListener("online", connect);
  connect();
})();
