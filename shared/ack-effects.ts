/**
 * The server acknowledges a command as soon as it is saved and sends the change itself straight
 * after, so the next `doc` or `self` message on that socket carries it (docs/PROTOCOL.md). A
 * client calls an acknowledged command done once that message has been applied: it counts those
 * messages, notes the count in the ack callback itself (a `doc` read in the same frame batch is
 * handled before any `await` resumes), then waits for the count to move — or a short while,
 * since a retried command's change came with the rejoin and nothing follows its ack.
 */
export const EFFECTS_WAIT_MS = 300;

export class AckEffects {
  #count = 0;
  #waiting: Array<() => void> = [];

  /** Call in the acknowledgement callback, before anything is awaited. */
  mark(): number {
    return this.#count;
  }

  /** Call once a `doc` or `self` message has been applied. */
  arrived(): void {
    this.#count++;
    for (const settle of [...this.#waiting]) settle();
  }

  /** Resolves once a `doc`/`self` after `mark` has been applied, or after EFFECTS_WAIT_MS. */
  after(mark: number): Promise<void> {
    if (this.#count > mark) return Promise.resolve();
    return new Promise((resolve) => {
      const settle = () => {
        clearTimeout(timer);
        this.#waiting = this.#waiting.filter((f) => f !== settle);
        resolve();
      };
      const timer = setTimeout(settle, EFFECTS_WAIT_MS);
      this.#waiting.push(settle);
    });
  }
}
