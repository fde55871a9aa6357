// The offline worker of public pages that a citizen may need away from a signal (a service's
// requirements at the office's door): each page of its scope is fetched from the network and
// kept as it came; when the network fails, the kept page is shown. Nothing else is cached.
"use strict";
var KEPT = "gotong-luring-1";
self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });
self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok) {
      var copy = response.clone();
      caches.open(KEPT).then(function (kept) { return kept.put(request, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(request).then(function (kept) { return kept || Response.error(); });
  }));
});
