/**
 * Registers the service worker (client/public/sw.js) that keeps the page shell and its assets,
 * so a phone that reloads with no network still gets the page, its board and its outbox.
 * The assets this page loaded before the worker took over are handed to it to keep.
 */
export function keepPageForOffline(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker
    .register('/sw.js', { scope: '/w/' })
    .then(() => navigator.serviceWorker.ready)
    .then((reg) => {
      const assets = performance
        .getEntriesByType('resource')
        .map((e) => e.name)
        .filter((u) => new URL(u).origin === location.origin && new URL(u).pathname.startsWith('/assets/'));
      reg.active?.postMessage({ type: 'cache-shell', assets });
    })
    .catch(() => {
      /* no service worker (private mode, old browser): the page still works online */
    });
}
