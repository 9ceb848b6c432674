import type { Board } from '../../../shared/doc.ts';
import type { SelfView } from '../../../shared/events.ts';
import { storedJson } from '../lib/storage.ts';

/**
 * The words of this phone's own notes, kept on the phone. When the facilitators keep a note off
 * the board, the server tells its author only that it happened (shared/events.ts OwnNote
 * keptOff), never the words again, so the author's frame does not grow; the phone says which
 * note from here. Only words this phone already had: its own notes, hidden or on the board.
 */
export class OwnWords {
  readonly #key: string;
  #words: Record<string, string>;

  constructor(code: string) {
    this.#key = `fishbone:own-words:${code}`;
    this.#words = storedJson.read<Record<string, string>>(this.#key, {});
    if (typeof this.#words !== 'object' || this.#words === null || Array.isArray(this.#words)) this.#words = {};
  }

  /** Learn the words of every own note this board and view show; forget notes no longer ours. */
  learn(board: Board, self: SelfView): void {
    const onBoard = new Map(board.notes.map((n) => [n.id, n.text]));
    const next: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const n of self.notes) {
      const text = n.text ?? onBoard.get(n.id) ?? this.#words[n.id];
      if (text) next[n.id] = text;
    }
    if (JSON.stringify(next) === JSON.stringify(this.#words)) return;
    this.#words = next;
    storedJson.write(this.#key, next);
  }

  of(noteId: string): string | null {
    return Object.hasOwn(this.#words, noteId) ? this.#words[noteId] : null;
  }
}
