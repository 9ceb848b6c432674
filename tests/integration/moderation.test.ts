import { describe, expect, it } from 'vitest';
import { RELEASE_TIMING } from '../../server/workshop/disclosure.ts';
import type { HeldNote } from '../../shared/events.ts';
import { TestClient, until } from '../support/client.ts';
import { afterReleases, ManualClock } from '../support/clock.ts';
import { useTestServer } from '../support/use-server.ts';
import { expectRefused } from '../support/refused.ts';
import { room } from '../support/room.ts';

/**
 * Moderation before the room sees anything (server/workshop/moderation.ts): held notes reach the
 * facilitators' private moderation view in batches, released by the clock (disclosure.ts);
 * hide, reword, move and merge decide what the reveal publishes.
 */
const clock = new ManualClock();
const server = useTestServer({ registry: { clock, releaseTiming: RELEASE_TIMING } });
const settled = (fac: TestClient) => afterReleases(clock, fac);

async function silentRoom(people = 3, body: object = { silent: true }) {
  const r = await room(server.url, { people, phase: 'brainstorm', body: { title: 'Moderation', ...body } });
  return { ...r, ps: r.people };
}

const view = (fac: TestClient): HeldNote[] => fac.self?.review ?? [];
const byText = (fac: TestClient, text: string) => view(fac).find((n) => n.text === text);

describe('the moderation view', () => {
  it('shows held notes once they come from 3 people, a few seconds after the last; a remainder waits, whatever the facilitator does', async () => {
    const { fac, ps } = await silentRoom(4);
    const [a, b, c, d] = ps;
    await a.do({ type: 'note.add', boneId: 'people', text: 'Alpha one' });
    await a.do({ type: 'note.add', boneId: 'people', text: 'Alpha two' });
    await b.do({ type: 'note.add', boneId: 'structures', text: 'Bravo' });
    await settled(fac);
    expect(view(fac)).toEqual([]);
    await c.do({ type: 'note.add', boneId: 'processes', text: 'Charlie' });
    // Not when Charlie taps: a few seconds later.
    await fac.sync();
    expect(view(fac)).toEqual([]);
    await settled(fac);
    expect(
      view(fac)
        .map((n) => n.text)
        .sort(),
    ).toEqual(['Alpha one', 'Alpha two', 'Bravo', 'Charlie']);
    // Nobody else sees a word of it.
    expect(fac.board().notes).toEqual([]);

    // One more note waits for two more people: locking, unlocking and settings do not show it.
    await d.do({ type: 'note.add', boneId: 'people', text: 'Delta' });
    await settled(fac);
    expect(byText(fac, 'Delta')).toBeUndefined();
    await fac.do({ type: 'board.lock', locked: true });
    await settled(fac);
    await fac.do({ type: 'board.lock', locked: false });
    await fac.do({ type: 'settings.set', hold: true });
    await settled(fac);
    expect(byText(fac, 'Delta')).toBeUndefined();
    // It goes up with every other note at the reveal.
    await fac.do({ type: 'notes.reveal' });
    await until(() => a.board().notes.some((n) => n.text === 'Delta'), 'the reveal');
  });

  it("an author's edit or withdrawal never reaches the view; the reveal publishes the latest words", async () => {
    const { fac, ps } = await silentRoom(6);
    const ids: string[] = [];
    for (const [i, p] of ps.slice(0, 3).entries())
      ids.push((await p.do({ type: 'note.add', boneId: 'people', text: `First ${i}` })).noteId!);
    await settled(fac);
    expect(view(fac)).toHaveLength(3);
    await ps[0].do({ type: 'note.edit', noteId: ids[0], text: 'First 0, rewritten' });
    await ps[1].do({ type: 'note.delete', noteId: ids[1] });
    // Three more people write: their notes come as a batch; the edit and the withdrawal do not
    // (shown in a later batch, they would tell whose note it was: one of the people of both batches).
    for (const [i, p] of ps.slice(3).entries()) await p.do({ type: 'note.add', boneId: 'people', text: `Later ${i}` });
    await settled(fac);
    expect(
      view(fac)
        .map((n) => n.text)
        .sort(),
    ).toEqual(['First 0', 'First 1', 'First 2', 'Later 0', 'Later 1', 'Later 2']);
    await fac.do({ type: 'notes.reveal' });
    await until(() => ps[5].board().notes.length === 5, 'the reveal');
    expect(
      ps[5]
        .board()
        .notes.map((n) => n.text)
        .sort(),
    ).toEqual(['First 0, rewritten', 'First 2', 'Later 0', 'Later 1', 'Later 2']);
  });

  it('the reveal publishes what the facilitator let through: held back, reworded, moved and merged', async () => {
    const { fac, ps } = await silentRoom(4);
    const [a, b, c, d] = ps;
    await a.do({ type: 'note.add', boneId: 'people', text: 'Dave from housing is useless and rude' });
    await b.do({ type: 'note.add', boneId: 'people', text: 'Nobody shares the records' });
    await c.do({ type: 'note.add', boneId: 'resources', text: 'Records are not shared' });
    await d.do({ type: 'note.add', boneId: 'people', text: 'No time for joint work' });
    await settled(fac);
    expect(view(fac)).toHaveLength(4);
    const id = (text: string) => byText(fac, text)!.id;
    const abuse = id('Dave from housing is useless and rude');
    const records = id('Nobody shares the records');
    const time = id('No time for joint work');
    await fac.do({ type: 'note.hide', noteId: abuse, hidden: true });
    await fac.do({
      type: 'note.merge',
      noteId: records,
      sourceIds: [id('Records are not shared')],
      text: 'Systems and care records are not shared',
    });
    await fac.do({ type: 'note.move', noteId: records, boneId: 'resources', subBoneId: 'information' });
    await fac.do({ type: 'note.edit', noteId: time, text: 'No protected time for joint work' });
    await until(() => view(fac).find((n) => n.id === time)?.edited === true, 'the view shows the decisions');
    expect(view(fac).find((n) => n.id === abuse)).toMatchObject({ held: true });
    expect(view(fac).find((n) => n.id === records)).toMatchObject({
      text: 'Systems and care records are not shared',
      boneId: 'resources',
      subBoneId: 'information',
      edited: true,
    });
    expect(view(fac).filter((n) => n.into === records)).toHaveLength(1);
    // The authors' own views still show what they wrote, held.
    expect(a.self!.notes).toEqual([expect.objectContaining({ text: 'Dave from housing is useless and rude', hidden: true })]);

    await fac.do({ type: 'notes.reveal' });
    await until(() => a.board().notes.length === 2, 'the reveal');
    const published = a
      .board()
      .notes.map((n) => ({ text: n.text, boneId: n.boneId, subBoneId: n.subBoneId, raisedBy: n.raisedBy, merged: n.merged }));
    expect(published.sort((x, y) => x.text.localeCompare(y.text))).toEqual([
      { text: 'No protected time for joint work', boneId: 'people', subBoneId: null, raisedBy: 1, merged: false },
      { text: 'Systems and care records are not shared', boneId: 'resources', subBoneId: 'information', raisedBy: 2, merged: true },
    ]);
    // The held-back note is the facilitators' to bring back, and still its author's.
    await until(() => (fac.self?.moderated ?? []).length === 1 && view(fac).length === 0, 'held back to the hidden notes');
    expect(fac.self!.moderated![0]).toMatchObject({ id: abuse, text: 'Dave from housing is useless and rude' });
    // Both merged authors own the merged note.
    await until(() => b.self!.notes[0]?.id === records && c.self!.notes[0]?.id === records, 'merged authors');
  });

  it('"hold new notes for review" holds notes outside a silent brainstorm; publishing puts them up', async () => {
    const { fac, ps } = await silentRoom(3, { silent: false });
    await fac.do({ type: 'settings.set', hold: true });
    expect(fac.board().meta.hold).toBe(true);
    const facNote = await fac.do({ type: 'note.add', boneId: 'people', text: 'The facilitator’s own note goes straight up' });
    for (const [i, p] of ps.entries()) await p.do({ type: 'note.add', boneId: 'processes', text: `Held ${i}` });
    await settled(fac);
    expect(view(fac)).toHaveLength(3);
    await ps[0].sync(); // a held note published by mistake would have reached the room by now
    expect(ps[0].board().notes.map((n) => n.id)).toEqual([facNote.noteId]);
    await until(() => Object.values(fac.stats?.hiddenByBone ?? {}).reduce((a, b) => a + b, 0) === 3, 'counts for everyone');
    await fac.do({ type: 'note.hide', noteId: byText(fac, 'Held 1')!.id, hidden: true });
    await fac.do({ type: 'notes.reveal' });
    await until(() => ps[0].board().notes.length === 3, 'published');
    expect(
      ps[0]
        .board()
        .notes.map((n) => n.text)
        .sort(),
    ).toEqual(['Held 0', 'Held 2', 'The facilitator’s own note goes straight up']);
    // Still holding: the next note waits again, and publishing leaves it held until it has been
    // in the moderation view (it would otherwise go up alone, naming its author).
    await ps[2].do({ type: 'note.add', boneId: 'processes', text: 'Held again' });
    await settled(fac);
    await fac.do({ type: 'notes.reveal' });
    await ps[0].sync();
    expect(ps[0].board().notes).toHaveLength(3);
    // Leaving the brainstorm publishes what is still held.
    await fac.do({ type: 'phase.set', phase: 'review' });
    await until(() => ps[0].board().notes.length === 4, 'published on leaving the brainstorm');
  });
});

describe('moderation refuses bad input and changes nothing', () => {
  it('each kind of bad input to a held note has its own clear error', async () => {
    const { w, fac, ps } = await silentRoom(3);
    for (const [i, p] of ps.entries()) await p.do({ type: 'note.add', boneId: 'people', text: `Note ${i}` });
    await settled(fac);
    const [n0, n1, n2] = view(fac).map((n) => n.id);
    const before = JSON.stringify(view(fac));
    const screen = await TestClient.screen(server.url, w.code);
    const cases: Array<[Parameters<TestClient['send']>[0], string, string]> = [
      [{ type: 'note.edit', noteId: n0, text: '   ' }, 'empty_text', 'Write something first.'],
      [{ type: 'note.edit', noteId: n0, text: 'x'.repeat(281) }, 'too_long', 'Keep it to 280 characters or fewer.'],
      [{ type: 'note.edit', noteId: n0, text: 'bell \u0007' }, 'invalid_text', 'That text contains characters that cannot be shown.'],
      [{ type: 'note.move', noteId: n0, boneId: 'nowhere' }, 'unknown_bone', 'That bone is not on this fishbone.'],
      [{ type: 'note.merge', noteId: n0, sourceIds: [n0] }, 'invalid_merge', 'A note cannot be merged with itself.'],
      [{ type: 'note.merge', noteId: n0, sourceIds: ['gone-away'] }, 'not_found', 'A note to merge is not on the board.'],
      [{ type: 'note.hide', noteId: 'no-such-note', hidden: true }, 'not_found', 'That note is not on the board.'],
      [{ type: 'note.delete', noteId: n1 }, 'bad_request', 'held back, not removed'],
    ];
    const literally = (s: string) => new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    for (const [cmd, code, message] of cases) await expectRefused(fac, [...ps, screen], cmd, code, literally(message));
    // A merge into a note that is merged itself, and a held note with one on the board.
    await fac.do({ type: 'note.merge', noteId: n0, sourceIds: [n1] });
    expect(await fac.send({ type: 'note.merge', noteId: n1, sourceIds: [n2] })).toMatchObject({
      ok: false,
      code: 'invalid_merge',
      message: 'That note is already merged into another one: merge into that one instead.',
    });
    expect(await fac.send({ type: 'note.merge', noteId: n0, sourceIds: [] })).toMatchObject({ ok: false, code: 'bad_request' });
    const board = await fac.do({ type: 'note.add', boneId: 'people', text: 'On the board' });
    expect(await fac.send({ type: 'note.merge', noteId: n2, sourceIds: [board.noteId!] })).toMatchObject({
      ok: false,
      code: 'invalid_merge',
      message: 'Notes waiting for review merge only with other notes waiting for review.',
    });
    expect(await fac.send({ type: 'note.merge', noteId: board.noteId!, sourceIds: [n2] })).toMatchObject({
      ok: false,
      code: 'invalid_merge',
    });
    // Participants and the projector cannot moderate.
    await expectRefused(ps[0], [fac, screen], { type: 'note.hide', noteId: n1, hidden: true }, 'forbidden');
    await expectRefused(ps[0], [fac, screen], { type: 'note.move', noteId: n2, boneId: 'processes' }, 'forbidden');
    const notMine = [n0, n1, n2].find((id) => !ps[0].self!.notes.some((n) => n.id === id))!;
    await expectRefused(ps[0], [fac, screen], { type: 'note.edit', noteId: notMine, text: 'Not mine' }, 'not_found');
    await expectRefused(screen, [fac, ...ps], { type: 'note.hide', noteId: n1, hidden: true }, 'forbidden');
    await expectRefused(ps[0], [fac, screen], { type: 'settings.set', hold: true }, 'forbidden');
    const after = view(fac).map((n) => (n.id === n1 ? { ...n, into: null } : n));
    expect(JSON.stringify(after)).toBe(before);
    // The hold switch is set before voting.
    await fac.do({ type: 'phase.set', phase: 'vote' });
    expect(await fac.send({ type: 'settings.set', hold: true })).toMatchObject({
      ok: false,
      code: 'wrong_phase',
      message: 'Not possible in the Vote phase: holding notes for review is switched before voting.',
    });
  });
});
