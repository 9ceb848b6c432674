import type { Page } from '@playwright/test';

/**
 * Every frame a browser page received on its socket, as searchable text: Yjs updates (base64 in
 * `doc` events) decoded to their UTF-8 bytes, so a note's words are found wherever they travel.
 */
export class WireCapture {
  readonly frames: string[] = [];

  constructor(page: Page) {
    page.on('websocket', (ws) => {
      ws.on('framereceived', (f) => this.frames.push(typeof f.payload === 'string' ? f.payload : f.payload.toString('utf8')));
    });
  }

  text(): string {
    return this.frames
      .map((f) => {
        const doc = /^42\["doc","([A-Za-z0-9+/=]*)"\]$/.exec(f);
        return doc ? Buffer.from(doc[1], 'base64').toString('utf8') : f;
      })
      .join('\n');
  }
}
