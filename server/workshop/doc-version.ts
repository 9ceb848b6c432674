import type * as Y from 'yjs';

interface Version {
  /** Which document (a workshop loaded again gets a new one). */
  serial: number;
  changes: number;
}

const versions = new WeakMap<Y.Doc, Version>();
let serials = 0;

/**
 * A name for a document's current state, cheap to read on every request: it changes whenever the
 * document does (deletions included, which a Yjs state vector does not show). Caches of what is
 * drawn from a document (the participant page, the exports) are keyed on it.
 */
export function docVersion(doc: Y.Doc): string {
  let v = versions.get(doc);
  if (!v) {
    const fresh = { serial: ++serials, changes: 0 };
    doc.on('update', () => fresh.changes++);
    versions.set(doc, fresh);
    v = fresh;
  }
  return `${v.serial}.${v.changes}`;
}
