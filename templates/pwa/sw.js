/* carshare's service worker (carshare/pwa.py), version {{ version }}.
 *
 * - Same-origin GET requests only: nothing from another origin, no POST, ever cached.
 * - Static files: from the cache, refreshed in the background.
 * - Pages: from the network. "My bookings" and the page of each next booking are kept, in
 *   a cache named after the signed-in person, and shown from it when the network fails;
 *   any other page then answers the offline page.
 * - The pages say who is signed in (static/js/offline.js): another person, nobody, or a
 *   log-out removes the kept pages at once, so one person never sees another's.
 */
"use strict";
const VERSION = "{{ version }}";
const STATIC_CACHE = "carshare-static-" + VERSION;
const PAGES_PREFIX = "carshare-pages-";
const PRECACHE = {{ precache|safe }};
const OFFLINE_URL = {{ offline_url|safe }};
const LOGOUT_URL = {{ logout_url|safe }};
const STATIC_PREFIX = {{ static_prefix|safe }};
// "My bookings" (/<association>/bookings/) and a booking (/<association>/bookings/<id>/).
const KEPT_PAGE = /^\/[\w-]+\/bookings\/(\d+\/)?$/;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(STATIC_CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { credentials: "omit" }))))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys
        .filter((key) => key.startsWith("carshare-static-") && key !== STATIC_CACHE)
        .map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
});

async function pagesCacheName() {
  const keys = await caches.keys();
  return keys.find((key) => key.startsWith(PAGES_PREFIX)) || null;
}

async function forgetPagesExcept(keep) {
  const keys = await caches.keys();
  await Promise.all(keys
    .filter((key) => key.startsWith(PAGES_PREFIX) && key !== keep)
    .map((key) => caches.delete(key)));
}

function isKept(url) {
  return url.origin === self.location.origin && KEPT_PAGE.test(url.pathname) && !url.search;
}

async function keepPages(user, urls) {
  const name = PAGES_PREFIX + user;
  await forgetPagesExcept(name);
  const cache = await caches.open(name);
  await Promise.all(urls.map(async (href) => {
    const url = new URL(href, self.location.origin);
    if (!isKept(url)) return;
    try {
      const response = await fetch(url, { credentials: "same-origin", redirect: "error" });
      if (response.ok) await cache.put(url, response);
    } catch (error) { /* offline or refused: keep what is there */ }
  }));
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "pages") return;
  const user = typeof data.user === "string" ? data.user.replace(/[^\w]/g, "") : "";
  const urls = Array.isArray(data.urls) ? data.urls.slice(0, 50) : [];
  event.waitUntil(user ? keepPages(user, urls) : forgetPagesExcept(null));
});

async function fromNetworkKeeping(request) {
  const url = new URL(request.url);
  try {
    const response = await fetch(request);
    const name = await pagesCacheName();
    if (name && isKept(url) && response.ok && !response.redirected) {
      const cache = await caches.open(name);
      await cache.put(url, response.clone());
    }
    return response;
  } catch (error) {
    const name = await pagesCacheName();
    const kept = name && isKept(url) ? await (await caches.open(name)).match(url) : null;
    return kept || (await caches.match(OFFLINE_URL)) || Response.error();
  }
}

async function staticFile(request) {
  const cached = await caches.match(request);
  const fresh = fetch(request).then(async (response) => {
    if (response.ok) await (await caches.open(STATIC_CACHE)).put(request, response.clone());
    return response;
  });
  if (cached) {
    fresh.catch(() => null);
    return cached;
  }
  return fresh;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method !== "GET") {
    if (url.pathname === LOGOUT_URL) event.waitUntil(forgetPagesExcept(null));
    return;
  }
  if (url.pathname.startsWith(STATIC_PREFIX)) {
    event.respondWith(staticFile(request));
  } else if (request.mode === "navigate") {
    event.respondWith(fromNetworkKeeping(request));
  }
});
