// The offline worker of public pages that a citizen may need away from a signal (a service's
// requirements at the office's door): each page of its scope is fetched from the network and,
// when the server let it be kept (a page for everyone says `no-cache`; a page with anything of
// the person signed in says `no-store`), kept as it came, the last 60 at most. When the
// network fails, the kept page is shown. Nothing else is cached.
"use strict";
var KEPT = "gotong-luring-1";
var MOST = 60;
self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });
function keep(request, response) {
  return caches.open(KEPT).then(function (kept) {
    return kept.put(request, response).then(function () { return kept.keys(); }).then(function (keys) {
      return Promise.all(keys.slice(0, Math.max(0, keys.length - MOST)).map(function (key) { return kept.delete(key); }));
    });
  });
}
self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(fetch(request).then(function (response) {
    var cacheControl = response.headers.get("Cache-Control") || "";
    if (response.ok && cacheControl.indexOf("no-store") < 0 && cacheControl.indexOf("private") < 0) {
      event.waitUntil(keep(request, response.clone()));
    }
    return response;
  }).catch(function () {
    return caches.match(request).then(function (kept) { return kept || Response.error(); });
  }));
});
