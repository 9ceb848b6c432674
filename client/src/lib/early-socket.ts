import { WebSocket as WebSocketTransport } from 'engine.io-client';

/**
 * The connection the participant page's first paint opened before any of the page's code had
 * arrived (server/http/first-paint-script.ts): on a slow network a WebSocket handshake is a
 * whole round trip, and this way it overlaps the download of the page's code instead of
 * following it. The first paint's script only opens it and keeps what the server says on it
 * (engine.io's "open" packet, a ping); it sends nothing.
 */
interface Early {
  ws: WebSocket;
  messages: unknown[];
}

declare global {
  interface Window {
    __fishboneSocket?: Early;
  }
}

/** The early connection, once, if it is still open and for this very address. */
function takeEarly(uri: string): Early | null {
  const early = window.__fishboneSocket;
  if (!early) return null;
  delete window.__fishboneSocket;
  if (early.ws.readyState === WebSocket.OPEN || early.ws.readyState === WebSocket.CONNECTING) {
    const a = new URL(early.ws.url);
    const b = new URL(uri, location.href);
    if (a.host === b.host && a.pathname === b.pathname && a.searchParams.get('w') === b.searchParams.get('w')) return early;
  }
  early.ws.close();
  return null;
}

/**
 * engine.io's WebSocket transport, which takes the early connection instead of opening its
 * first one: it then hands on what arrived before it took over, in order, as if it had just
 * happened. Every later connection (a reconnect) is opened as usual.
 */
export class EarlyWebSocket extends WebSocketTransport {
  #early: Early | null = null;

  override createSocket(uri: string, protocols: string | string[] | undefined, opts: Record<string, unknown>) {
    this.#early = takeEarly(uri);
    if (!this.#early) return super.createSocket(uri, protocols, opts);
    return this.#early.ws;
  }

  override doOpen(): this {
    super.doOpen();
    const early = this.#early;
    this.#early = null;
    if (!early) return this;
    // After engine.io has attached itself to this transport (it does so right after opening
    // it), and before any message still to come: those arrive as tasks, this runs first.
    queueMicrotask(() => {
      const ws = this.ws as WebSocket;
      if (ws.readyState === WebSocket.OPEN) ws.onopen?.(new Event('open'));
      for (const data of early.messages) ws.onmessage?.(new MessageEvent('message', { data }));
    });
    return this;
  }
}
