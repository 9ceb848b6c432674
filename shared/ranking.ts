import type { Note, Tally } from './doc.ts';
import { own } from './safe-keys.ts';

export interface RankedNote {
  note: Note;
  rank: number;
  dots: number;
  supporters: number;
  /** Supporters as a share of everyone who voted (0..1). */
  supportShare: number;
  /** True where another note shares this rank. */
  tied: boolean;
}

export interface BoneWeight {
  boneId: string;
  dots: number;
  /** Share of all dots (0..1). */
  share: number;
}

/**
 * The consensus ranking: by dots, ties broken by supporters (how many different people gave the
 * note a dot); notes still tied share a rank, competition style (1, 2, 2, 4). Notes no longer on
 * the board are left out. Order within a tie is by text so every screen agrees.
 */
export function rankNotes(notes: Note[], tally: Tally): RankedNote[] {
  const rows = notes.map((note) => {
    const t = own(tally.notes, note.id) ?? { dots: 0, supporters: 0 };
    return { note, dots: t.dots, supporters: t.supporters, supportShare: tally.voters ? t.supporters / tally.voters : 0 };
  });
  rows.sort((a, b) => b.dots - a.dots || b.supporters - a.supporters || a.note.text.localeCompare(b.note.text));
  const same = (i: number, j: number) => rows[i].dots === rows[j].dots && rows[i].supporters === rows[j].supporters;
  let rank = 0;
  return rows.map((row, i) => {
    if (i === 0 || !same(i, i - 1)) rank = i + 1;
    const tied = (i > 0 && same(i, i - 1)) || (i + 1 < rows.length && same(i, i + 1));
    return { ...row, rank, tied };
  });
}

/** Each bone's share of all dots: "where do the majority of your problems seem to lie?" */
export function boneWeights(boneIds: string[], tally: Tally): BoneWeight[] {
  const total = boneIds.reduce((sum, id) => sum + (own(tally.bones, id) ?? 0), 0);
  return boneIds.map((boneId) => {
    const dots = own(tally.bones, boneId) ?? 0;
    return { boneId, dots, share: total ? dots / total : 0 };
  });
}
