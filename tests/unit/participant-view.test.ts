import { describe, expect, it } from 'vitest';
import { boardView, inReview, roundCards, todo } from '../../client/src/participant/view.ts';
import type { Board, Meta, Note } from '../../shared/doc.ts';
import type { SelfView } from '../../shared/events.ts';
import { barriers } from '../../shared/templates/barriers.ts';

/** The phone's reading of the board in the states issue 14 added: held notes, closed voting, later rounds. */

const note = (id: string, text: string): Note => ({
  id,
  boneId: 'processes',
  subBoneId: null,
  text,
  pick: null,
  raisedBy: 1,
  merged: false,
});
const meta = (over: Partial<Meta>): Meta =>
  ({
    title: 'Day',
    head: barriers.head,
    templateId: 'barriers',
    phase: 'brainstorm',
    locked: false,
    notesRevealed: false,
    silent: false,
    budget: 5,
    cap: 3,
    facilitatorVotes: false,
    showRanking: true,
    topN: 5,
    groups: [],
    prompts: {},
    bones: barriers.bones,
    catalogue: [],
    ...over,
  }) as Meta;
const board = (m: Partial<Meta>, notes: Note[] = [], rounds: Board['rounds'] = []): Board => ({
  meta: meta(m),
  notes,
  tally: null,
  rounds,
  tags: {},
  actions: [],
  controlCounts: null,
  since: null,
});
const self = (notes: SelfView['notes']): SelfView => ({ notes, ballot: {}, dotsLeft: 5, group: null });
const heldCard = (b: Board, s: SelfView) =>
  boardView(b, s, [])
    .flatMap((v) => v.places.flatMap((p) => p.cards))
    .find((c) => c.hidden);

describe('the phone with held notes', () => {
  const mine = self([{ id: 'h1', boneId: 'processes', subBoneId: null, text: 'Held words', hidden: true, merged: false }]);

  it('says an own held note waits for review when "hold new notes for review" is on', () => {
    const b = board({ hold: true, notesRevealed: true });
    expect(inReview(b.meta)).toBe(true);
    expect(heldCard(b, mine)).toMatchObject({ text: 'Held words', own: true, hidden: true, review: true });
    expect(todo(b.meta)).toMatch(/reviews new notes/);
  });

  it('keeps the silent brainstorm’s wording before its reveal, even with hold on', () => {
    const b = board({ hold: true, silent: true, notesRevealed: false });
    expect(heldCard(b, mine)).toMatchObject({ hidden: true, review: false });
    expect(todo(b.meta)).toMatch(/Only you see your notes/);
  });

  it('shows a note let through once, as an ordinary own note', () => {
    const b = board({ hold: true, notesRevealed: true }, [note('h1', 'Held words')]);
    const cards = boardView(b, self([{ id: 'h1', boneId: 'processes', subBoneId: null, hidden: false, merged: false }]), []).flatMap((v) =>
      v.places.flatMap((p) => p.cards),
    );
    expect(cards).toEqual([expect.objectContaining({ id: 'h1', own: true, hidden: false, review: false })]);
  });
});

describe('the phone while voting', () => {
  it('says when voting is closed, and which round it is', () => {
    expect(todo(meta({ phase: 'vote', votingClosed: true }))).toMatch(/dots are saved/);
    expect(todo(meta({ phase: 'vote', round: 2 }), 3)).toMatch(/round 2: only the top 3 barriers/);
    expect(todo(meta({ phase: 'vote', round: 2, votingClosed: true }), 3)).toMatch(/dots are saved/);
    expect(todo(meta({ phase: 'vote' }))).toMatch(/^Tap \+/);
  });

  it('lists a later round’s notes alone, in the round’s order, marking the participant’s own', () => {
    const notes = [note('a', 'A'), note('b', 'B'), note('c', 'C')];
    const b = board({ phase: 'vote', round: 2 }, notes, [{ round: 2, noteIds: ['c', 'a'], budget: 4, cap: 2, tally: null }]);
    const cards = roundCards(b, self([{ id: 'a', boneId: 'processes', subBoneId: null, hidden: false, merged: false }]), [
      'c',
      'a',
      'gone',
    ]);
    expect(cards.map((c) => [c.id, c.own])).toEqual([
      ['c', false],
      ['a', true],
    ]);
  });
});
