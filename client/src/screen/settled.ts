/**
 * Calls `again` whenever the layout inside `node` may have changed without any data changing: an
 * image in it finished loading (a QR code takes its height late), or the page's fonts arrived.
 * The projector's fitting (rows of the ranking, the Act page's type) then measures again.
 * Returns the function that stops listening.
 */
export function whenLayoutSettles(node: HTMLElement, again: () => void): () => void {
  let live = true;
  const loaded = () => {
    if (live) again();
  };
  // Load events do not bubble: listen on the way down.
  node.addEventListener('load', loaded, true);
  void document.fonts?.ready.then(loaded);
  return () => {
    live = false;
    node.removeEventListener('load', loaded, true);
  };
}
