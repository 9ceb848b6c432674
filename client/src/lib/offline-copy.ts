import * as Y from 'yjs';
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
  restoreEmbedded(code: string, doc: Y.Doc): void {
    const el = document.getElementById('initial-state');
    if (!el?.textContent) return;
    try {
      const state = JSON.parse(el.textContent) as { code?: string; update?: string };
      if (state.code === code && typeof state.update === 'string') Y.applyUpdate(doc, fromBase64(state.update), 'page');
    } catch {
      /* the join brings the whole state */
    }
  }

  /** The saved document goes into `doc`; returns the saved self view. */
  restore(doc: Y.Doc): SelfView | null {
    const saved = storedJson.read<Saved | null>(this.#replicaKey, null);
    if (!saved || typeof saved.doc !== 'string') return null;
    try {
      Y.applyUpdate(doc, fromBase64(saved.doc), 'cache');
      return saved.self;
    } catch {
      this.forget();
      return null;
    }
  }

  /** Save a moment after each change, and when the page goes away. */
  keep(doc: Y.Doc, self: () => SelfView | null): void {
    this.#save = () => {
      if (this.#due) clearTimeout(this.#due);
      this.#due = null;
      if (doc.getMap('meta').size === 0) return;
      storedJson.write(this.#replicaKey, { doc: toBase64(Y.encodeStateAsUpdate(doc)), self: self() } satisfies Saved);
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
