// What the lesson preview (nn-playground lesson serve) answers for sw.js: a service worker that removes the site's
// caches and itself, then reloads the pages an earlier worker controlled. The preview rewrites pages while they are
// open; a worker answering from its cache first would show them as they were (web/preview_server.py).
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil((async () => {
  for (const name of await caches.keys()) if (name.startsWith("nn-playground-")) await caches.delete(name);
  await self.registration.unregister();
  for (const client of await self.clients.matchAll({ type: "window" })) client.navigate(client.url);
})()));
