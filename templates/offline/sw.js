/* The service worker (backspasm/offline.py serves it at /sw.js, for the whole site).

   Keeps: the pages in CONFIG.pages (fetched without cookies as it installs), later copies of those and of
   the timer pages (CONFIG.keptPattern) when they are the same for everyone, and the static files.
   Never keeps: the check's pages, the admin, anything with a query string, any response that varies with a
   cookie or says private or no-store. Pages it does not keep get the offline page when the network fails.
   A new content version is a new script, so a new worker: it fetches fresh copies, then drops the old ones. */
"use strict";

const CONFIG = {{ config|safe }};
const PREFIX = "backspasm-";
const CACHE = PREFIX + CONFIG.version;
const KEPT = new RegExp(CONFIG.keptPattern);
// On a weak connection, a kept page comes from the phone after this long rather than after a minute.
const PATIENCE_MS = 4000;

// Without cookies: the copies are the public pages, never a signed-in editor's view.
// A redirected answer is never kept under the address asked for (it would be another page, or another language).
async function keep(cache, url) {
  const response = await fetch(new Request(url, { credentials: "omit" }));
  if (!response.ok || response.redirected) throw new Error(`${url}: ${response.status}`);
  await cache.put(url, response);
}

// Each page on its own, and one that fails is skipped (it is kept on a later visit instead): with
// cache.addAll a single 404 (a routine unpublished after this script was made) failed the whole install,
// and with it offline use and the timer's notifications. Only the offline page is needed to install.
async function install() {
  const cache = await caches.open(CACHE);
  const others = [...CONFIG.pages, ...CONFIG.catalogs, ...CONFIG.assets].filter((url) => url !== CONFIG.offline);
  await keep(cache, CONFIG.offline);
  // One at a time: gentle on a weak connection and on the server (all at once, twenty pages compete).
  for (const url of others) {
    await keep(cache, url).catch(() => {});
  }
  await self.skipWaiting();
}

self.addEventListener("install", (event) => {
  event.waitUntil(install());
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith(PREFIX) && name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

function isKept(url) {
  return !url.search && (CONFIG.pages.includes(url.pathname) || CONFIG.catalogs.includes(url.pathname) || KEPT.test(url.pathname));
}

function isStorable(response) {
  const cacheControl = response.headers.get("Cache-Control") || "";
  const vary = response.headers.get("Vary") || "";
  return (
    response.status === 200 &&
    response.type === "basic" &&
    !response.redirected &&
    !/private|no-store/i.test(cacheControl) &&
    !/cookie/i.test(vary)
  );
}

// The offline page in the language of the address asked for (/es/... gets the Spanish one).
async function offlinePage(url) {
  const cache = await caches.open(CACHE);
  const own = CONFIG.offlineByLanguage.find((language) => url.pathname.startsWith(language.prefix));
  return (own && (await cache.match(own.page))) || (await cache.match(CONFIG.offline)) || Response.error();
}

// The network first, so new wording shows as soon as there is a connection; the kept copy when the
// network fails or is too slow.
async function networkFirst(request, url) {
  const cache = await caches.open(CACHE);
  const network = fetch(request).then((response) => {
    if (isKept(url) && isStorable(response)) cache.put(url.pathname, response.clone());
    return response;
  });
  network.catch(() => {}); // a failure after the kept copy was shown needs no report
  const kept = () => cache.match(url.pathname, { ignoreVary: true });
  let timer;
  const slow = new Promise((resolve) => {
    timer = setTimeout(resolve, PATIENCE_MS);
  }).then(kept);
  try {
    const first = await Promise.race([network, slow]);
    if (first) return first;
    return await network;
  } catch (error) {
    return (await kept()) || offlinePage(url);
  } finally {
    clearTimeout(timer);
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const found = await cache.match(request, { ignoreVary: true });
  if (found) return found;
  const response = await fetch(request);
  if (isStorable(response)) cache.put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith(CONFIG.staticPrefix)) {
    event.respondWith(cacheFirst(request));
  } else if (CONFIG.catalogs.includes(url.pathname)) {
    // The timer's words: fresh when online, the kept copy offline.
    event.respondWith(networkFirst(request, url));
  } else if (request.mode === "navigate" && (isKept(url) || (url.search && isKept(new URL(url.pathname, url))))) {
    // A timer page with "?start=" is not kept, but offline its plain copy is better than nothing.
    event.respondWith(networkFirst(request, url));
  } else if (request.mode === "navigate") {
    // The check, the library, the admin: straight to the network, and never kept; offline, a page saying so.
    event.respondWith(fetch(request).catch(() => offlinePage(url)));
  }
});

// A tap on a timer notification brings back the timer's tab (or opens the page again).
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = (event.notification.data && event.notification.data.url) || "/";
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      const open = windows.find((client) => new URL(client.url).pathname === target);
      return open ? open.focus() : self.clients.openWindow(target);
    }),
  );
});
