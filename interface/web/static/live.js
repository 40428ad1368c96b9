// The staff's pending list, kept current by server-sent events. Without
// JavaScript the page still works: it is simply not live.
(function () {
  "use strict";
  var status = document.getElementById("live");
  var pending = document.getElementById("pending");
  if (!status || !pending || !window.EventSource) { return; }
  var source = null;

  function show(state, text) { status.dataset.state = state; status.textContent = text; }

  // Rows come and go, but those that stay keep their place: leave them untouched, so a
  // date half typed into one survives a request arriving in another.
  function update(html) {
    var fresh = document.createElement("div");
    fresh.innerHTML = html;  // Rendered and escaped by the server, like the page itself.
    var oldBody = pending.querySelector("tbody");
    var newBody = fresh.querySelector("tbody");
    if (!oldBody || !newBody) { pending.replaceChildren.apply(pending, fresh.childNodes); return; }
    var wanted = {};
    Array.prototype.forEach.call(newBody.rows, function (row) { wanted[row.id] = true; });
    Array.prototype.slice.call(oldBody.rows).forEach(function (row) {
      if (!wanted[row.id]) { row.remove(); }
    });
    var next = oldBody.firstElementChild;
    Array.prototype.slice.call(newBody.rows).forEach(function (row) {
      var kept = document.getElementById(row.id);
      if (kept) { next = kept.nextElementSibling; return; }
      oldBody.insertBefore(row, next);
    });
    var pager = pending.querySelector("nav.pager");
    var freshPager = fresh.querySelector("nav.pager");
    if (pager && freshPager) { pager.replaceWith(freshPager); }
  }

  function connect() {
    if (source) { source.close(); }
    // From the last position shown: the server sends the rows at once if the list moved since.
    var url = new URL(status.dataset.stream, window.location.href);
    url.searchParams.set("position", pending.dataset.position);
    source = new EventSource(url);
    source.addEventListener("open", function () { show("open", status.dataset.live); });
    source.addEventListener("error", function () {
      // EventSource reconnects by itself, sending the last event id it got; once it
      // gives up (the session ended), reloading shows the sign-in page.
      show("closed", source.readyState === EventSource.CLOSED
        ? status.dataset.ended : status.dataset.reconnecting);
    });
    source.addEventListener("rows", function (event) {
      update(event.data);
      pending.dataset.position = event.lastEventId;
      show("open", status.dataset.live);
    });
  }

  // A phone that loses its network: stop, then start again from what is on screen.
  window.addEventListener("offline", function () {
    if (source) { source.close(); }
    show("closed", status.dataset.reconnecting);
  });
  window.addEventListener("online", connect);
  connect();
})();
