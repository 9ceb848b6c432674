import * as Y from 'yjs';
import { fromBase64, toBase64 } from '../../../shared/base64.ts';
import type { SelfView } from '../../../shared/events.ts';
import { storedJson } from '../lib/storage.ts';
import type { WorkshopClient } from '../lib/workshop-client.svelte.ts';

/**
 * The last board and self view this phone was sent, kept in localStorage so a reload with no
 * network still shows the board, the participant's own notes and the outbox. It holds only what
 * the server already sent this phone; the next join catches up from it by its state vector.
 */
interface Saved {
  doc: string;
  self: SelfView | null;
}

const keyOf = (code: string) => `fishbone:replica:${code}`;

/**
 * The server puts the workshop's current shared document into the page's HTML, so the board
 * shows before the socket connects (server/http/pages.ts says why). Ignored if it
 * is for another workshop or malformed: the join brings everything anyway.
 */
export function restoreEmbedded(code: string, client: WorkshopClient): void {
  const el = document.getElementById('initial-state');
  if (!el?.textContent) return;
  try {
    const state = JSON.parse(el.textContent) as { code?: string; update?: string };
    if (state.code === code && typeof state.update === 'string') Y.applyUpdate(client.doc, fromBase64(state.update), 'page');
  } catch {
    /* the join brings the whole state */
  }
}

/** Put the saved replica into a fresh client before it joins. */
export function restoreReplica(code: string, client: WorkshopClient): void {
  const saved = storedJson.read<Saved | null>(keyOf(code), null);
  if (!saved || typeof saved.doc !== 'string') return;
  try {
    Y.applyUpdate(client.doc, fromBase64(saved.doc), 'cache');
    client.self ??= saved.self;
  } catch {
    forgetReplica(code);
  }
}

/** Save the replica a moment after each change (and when the page goes away); returns `touch` and `stop`. */
export function keepReplica(code: string, client: WorkshopClient): { touch: () => void; stop: () => void } {
  let due: ReturnType<typeof setTimeout> | null = null;
  const save = () => {
    if (due) clearTimeout(due);
    due = null;
    if (client.doc.getMap('meta').size === 0) return;
    storedJson.write(keyOf(code), { doc: toBase64(Y.encodeStateAsUpdate(client.doc)), self: client.self } satisfies Saved);
  };
  const touch = () => {
    due ??= setTimeout(save, 1000);
  };
  client.doc.on('update', touch);
  addEventListener('pagehide', save);
  return {
    touch,
    stop: () => {
      client.doc.off('update', touch);
      removeEventListener('pagehide', save);
      if (due) save();
    },
  };
}

export const forgetReplica = (code: string): void => storedJson.write(keyOf(code), null);
