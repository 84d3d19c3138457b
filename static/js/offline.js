/* On every page: registers the service worker (templates/offline/sw.js) and says so when the phone is
   offline. The worker is not registered from the check's pages: the check never works offline, and on a
   weak connection its pages should not compete with the worker's first downloads. */
(function () {
  "use strict";

  var script = document.currentScript;
  var note = document.getElementById("offline-note");

  function showState() {
    if (note) note.hidden = navigator.onLine;
  }
  window.addEventListener("online", showState);
  window.addEventListener("offline", showState);
  showState();

  if (!("serviceWorker" in navigator) || !script) return;
  var skip = script.dataset.notUnder;
  if (skip && window.location.pathname.indexOf(skip) === 0) return;
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(script.dataset.serviceWorker, { scope: "/" }).catch(function () {
      // No worker (private browsing, an old browser): the site works as before, online only.
    });
  });
})();
