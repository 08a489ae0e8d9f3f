/* Registers the service worker (/sw.js) and tells it whose pages it may keep offline: the
 * signed-in person (an opaque code in <meta name="carshare-user">, empty when signed out)
 * and the pages of their next bookings (links marked data-offline). On log-out the kept
 * pages are removed before the form is sent. */
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) return;
  var meta = document.querySelector('meta[name="carshare-user"]');
  var user = meta ? meta.content : "";
  var links = Array.prototype.map.call(
    document.querySelectorAll("a[data-offline]"), function (a) { return a.href; });
  if (document.body.hasAttribute("data-offline-page")) links.push(location.href);
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
  navigator.serviceWorker.ready.then(function (registration) {
    registration.active.postMessage({ type: "pages", user: user, urls: links });
  });
  Array.prototype.forEach.call(document.querySelectorAll("form[data-logout]"), function (form) {
    form.addEventListener("submit", function () {
      if (!window.caches) return;
      caches.keys().then(function (keys) {
        keys.forEach(function (key) {
          if (key.indexOf("carshare-pages-") === 0) caches.delete(key);
        });
      });
    });
  });
})();
