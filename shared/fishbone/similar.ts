import type { Note } from '../doc.ts';

/**
 * Near-identical notes, grouped for the projector: a room of 150 often writes "No time",
 * "no time!" and "No Time." on one bone. The projector shows them once, "raised by N", so the
 * screen holds more of what differs. Only the projector groups (the notes stay separate on the
 * board, for the facilitator to merge or not); nothing is grouped once dots are shown.
 *
 * Near-identical: on the same bone and sub-bone, and equal once case, accents, punctuation,
 * spacing, the words "a", "an", "the" and a plural "s" are set aside.
 */

export interface SimilarGroup {
  /** The note shown for the group (the first by id), with the group's count of people. */
  note: Note;
  ids: string[];
}

const ARTICLES = new Set(['a', 'an', 'the']);

export function similarKey(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .split(' ')
    .filter((w) => w && !ARTICLES.has(w))
    .map((w) => (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w))
    .join(' ');
}

export function groupSimilar(notes: Note[]): SimilarGroup[] {
  const groups = new Map<string, Note[]>();
  for (const n of [...notes].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const key = `${n.boneId}\u0000${n.subBoneId ?? ''}\u0000${similarKey(n.text) || n.id}`;
    groups.set(key, [...(groups.get(key) ?? []), n]);
  }
  return [...groups.values()].map((ns) => ({
    note: ns.length === 1 ? ns[0] : { ...ns[0], raisedBy: ns.reduce((a, n) => a + n.raisedBy, 0) },
    ids: ns.map((n) => n.id),
  }));
}
