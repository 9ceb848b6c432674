import { describe, expect, it } from 'vitest';
import { TestClient, until } from '../support/client.ts';
import { createWorkshop } from '../support/server.ts';
import { useTestServer } from '../support/use-server.ts';

/**
 * Leaks an adversary found (docs/THREAT-MODEL.md): each test failed before its fix.
 */
const server = useTestServer();

const docsSince = (c: TestClient, mark: number) => c.received.slice(mark).filter((r) => r.event === 'doc').length;

describe('a silent brainstorm', () => {
  it('a quick-pick that matches a note on the board changes nothing anyone can see until the reveal, then joins it', async () => {
    const w = await createWorkshop(server.url, { title: 'Silent picks', silent: true });
    const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
    const screen = await TestClient.screen(server.url, w.code);
    const [alice, bob] = await Promise.all([0, 1].map(() => TestClient.participant(server.url, w.code)));
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    // The facilitator's own notes go on the board at once, silent or not.
    const pick = fac.board().meta.catalogue[0];
    const { noteId } = await fac.do({ type: 'note.add', boneId: pick.boneId, subBoneId: pick.subBoneId, pick: pick.id });
    await until(() => alice.board().notes.length === 1 && bob.board().notes.length === 1, 'the facilitator’s note');
    const watchers = [fac, screen, bob];
    const marks = watchers.map((c) => c.received.length);

    const mine = await alice.do({ type: 'note.add', boneId: pick.boneId, subBoneId: pick.subBoneId, pick: pick.id });
    await Promise.all(watchers.map((c) => c.sync()));
    watchers.forEach((c, i) => expect(docsSince(c, marks[i]), 'a document update after a silent pick').toBe(0));
    expect(bob.board().notes[0].raisedBy).toBe(1);
    expect(mine.noteId).not.toBe(noteId);
    expect(alice.self!.notes).toEqual([expect.objectContaining({ id: mine.noteId, hidden: true })]);

    await fac.do({ type: 'notes.reveal' });
    await until(() => bob.board().notes[0]?.raisedBy === 2, 'joined at the reveal');
    expect(bob.board().notes.map((n) => n.id)).toEqual([noteId]);
    await until(() => alice.self!.notes.length === 1 && alice.self!.notes[0].id === noteId, 'alice’s pick is the joined note');
    expect(alice.self!.notes[0].hidden).toBe(false);
  });
});

describe('group breakdowns', () => {
  it('count participants only: facilitators’ own ballots never make up a group’s three', async () => {
    const w = await createWorkshop(server.url, { title: 'Breakdown', silent: false });
    const owner = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
    await owner.do({ type: 'settings.set', groups: ['NHS'], facilitatorVotes: true });
    const links = [(await owner.do({ type: 'cofacilitator.create' })).link!, (await owner.do({ type: 'cofacilitator.create' })).link!];
    const cos = await Promise.all(links.map((l) => TestClient.facilitator(server.url, w.code, l.key)));
    await owner.do({ type: 'phase.set', phase: 'brainstorm' });
    const nhs = await Promise.all([0, 1, 2].map(() => TestClient.participant(server.url, w.code)));
    const lone = await TestClient.participant(server.url, w.code);
    for (const p of nhs) await p.do({ type: 'profile.set', group: 'NHS' });
    const { noteId: a } = await owner.do({ type: 'note.add', boneId: 'people', text: 'The consultant' });
    const { noteId: b } = await owner.do({ type: 'note.add', boneId: 'people', text: 'The budget' });
    await owner.do({ type: 'phase.set', phase: 'vote' });
    // Three facilitators and one participant without a group: before the fix these four made an
    // "Other" of four, and the facilitators, subtracting their own dots, read the lone ballot.
    for (const f of [owner, ...cos]) await f.do({ type: 'vote.change', noteId: a!, delta: 1 });
    await lone.do({ type: 'vote.change', noteId: b!, delta: 3 });
    for (const p of nhs) await p.do({ type: 'vote.change', noteId: a!, delta: 2 });
    await owner.do({ type: 'phase.set', phase: 'reveal' });
    await until(() => !!owner.self?.breakdown, 'the breakdown');
    // Four participants voted: NHS (3) and one without a group, who cannot be a group of one,
    // so everyone is folded into "Other". The facilitators' 3 dots are in no group.
    expect(owner.self!.breakdown).toEqual({ groups: ['Other'], notes: { [a!]: { Other: 6 }, [b!]: { Other: 3 } } });
    // The overall tally still counts every ballot.
    expect(owner.board().tally!.notes[a!]).toEqual({ dots: 9, supporters: 6 });
  });
});

describe('frame sizes around moderation', () => {
  it('hiding a note during the vote changes the size of no one’s private view: not its author’s, not its voters’', async () => {
    const w = await createWorkshop(server.url, { title: 'Sizes', silent: false });
    const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    const [author, voter, bystander] = await Promise.all([0, 1, 2].map(() => TestClient.participant(server.url, w.code)));
    const { noteId } = await author.do({ type: 'note.add', boneId: 'people', text: 'Dave from housing is rude' });
    await bystander.do({ type: 'note.add', boneId: 'people', text: 'No time' });
    await fac.do({ type: 'phase.set', phase: 'vote' });
    await voter.do({ type: 'vote.change', noteId: noteId!, delta: 2 });
    await Promise.all([author, voter, bystander].map((c) => c.sync()));
    const selfSizes = (c: TestClient) => c.received.filter((r) => r.event === 'self').map((r) => JSON.stringify(r.args[0]).length);
    const before = [author, voter, bystander].map((c) => selfSizes(c).at(-1)!);
    const marks = [author, voter, bystander].map((c) => selfSizes(c).length);
    await fac.do({ type: 'note.hide', noteId: noteId!, hidden: true });
    await Promise.all([author, voter, bystander].map((c) => c.sync()));
    for (const [i, c] of [author, voter, bystander].entries()) {
      const after = selfSizes(c).slice(marks[i]);
      // Every participant hears of the step (so hearing says nothing), at the size it had before.
      expect(after.length, `self views after the hide (${i})`).toBeGreaterThan(0);
      expect(after, `self frame sizes after the hide (${i})`).toEqual(after.map(() => before[i]));
    }
    // The dots did go back to the voter.
    expect(voter.self!.dotsLeft).toBe(5);
  });
});
