import type * as Y from 'yjs';
import type { Board } from '../../../shared/doc.ts';
import { fromBase64, toBase64 } from '../../../shared/base64.ts';
import type { Command } from '../../../shared/commands.ts';
import type { SelfView } from '../../../shared/events.ts';
import { storedJson } from './storage.ts';

/**
 * What a phone keeps in localStorage so a reload with no network still shows the board, the
 * participant's own notes and their outbox: the last document and self view the server sent
 * this phone, and the commands not yet sent. Nothing here is anything the server did not
 * already send this phone; the next join catches up from it by its state vector.
 */
interface Saved {
  doc: string;
  self: SelfView | null;
}

/** Yjs itself, handed in by the part of the client that loads it after the first paint (sync.ts). */
type Yjs = Pick<typeof Y, 'applyUpdate' | 'encodeStateAsUpdate'>;

/**
 * What the server put into the page's HTML (server/http/pages.ts): the workshop's board as a
 * plain snapshot, shown before Yjs has loaded, and the document itself, applied once it has.
 * Nothing if it is for another workshop (a page kept by the service worker) or malformed.
 */
export function readEmbedded(code: string): { board: Board | null; update: string | null } {
  const el = typeof document === 'undefined' ? null : document.getElementById('initial-state');
  if (!el?.textContent) return { board: null, update: null };
  try {
    const state = JSON.parse(el.textContent) as { code?: string; update?: string; board?: Board };
    if (state.code !== code) return { board: null, update: null };
    return {
      board: state.board && typeof state.board === 'object' && state.board.meta ? state.board : null,
      update: typeof state.update === 'string' ? state.update : null,
    };
  } catch {
    return { board: null, update: null };
  }
}

export class OfflineCopy {
  readonly #replicaKey: string;
  readonly #outboxKey: string;
  #due: ReturnType<typeof setTimeout> | null = null;
  #save: () => void = () => {};

  constructor(code: string) {
    this.#replicaKey = `fishbone:replica:${code}`;
    this.#outboxKey = `fishbone:outbox:${code}`;
  }

  /**
   * The server puts the workshop's current document into the page's HTML, so the board shows
   * before the socket connects (server/http/pages.ts). Ignored if it is for another workshop or
   * malformed: the join brings everything anyway.
   */
  restoreEmbedded(yjs: Yjs, code: string, doc: Y.Doc): void {
    const { update } = readEmbedded(code);
    if (!update) return;
    try {
      yjs.applyUpdate(doc, fromBase64(update), 'page');
    } catch {
      /* the join brings the whole state */
    }
  }

  /** The saved document goes into `doc`; returns the saved self view. */
  restore(yjs: Yjs, doc: Y.Doc): SelfView | null {
    const saved = storedJson.read<Saved | null>(this.#replicaKey, null);
    if (!saved || typeof saved.doc !== 'string') return null;
    try {
      yjs.applyUpdate(doc, fromBase64(saved.doc), 'cache');
      return saved.self;
    } catch {
      this.forget();
      return null;
    }
  }

  /** Save a moment after each change, and when the page goes away. */
  keep(yjs: Yjs, doc: Y.Doc, self: () => SelfView | null): void {
    this.#save = () => {
      if (this.#due) clearTimeout(this.#due);
      this.#due = null;
      if (doc.getMap('meta').size === 0) return;
      storedJson.write(this.#replicaKey, { doc: toBase64(yjs.encodeStateAsUpdate(doc)), self: self() } satisfies Saved);
    };
    doc.on('update', this.touch);
    addEventListener('pagehide', this.#save);
  }

  touch = (): void => {
    this.#due ??= setTimeout(this.#save, 1000);
  };

  stop(doc: Y.Doc): void {
    doc.off('update', this.touch);
    removeEventListener('pagehide', this.#save);
    if (this.#due) this.#save();
  }

  forget(): void {
    storedJson.write(this.#replicaKey, null);
  }

  readOutbox(): Command[] {
    return storedJson.read<Command[]>(this.#outboxKey, []);
  }

  writeOutbox(cmds: Command[]): void {
    storedJson.write(this.#outboxKey, cmds);
  }
}
