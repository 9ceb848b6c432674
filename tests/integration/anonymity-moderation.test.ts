import { describe, expect, it } from 'vitest';
import { RELEASE_TIMING } from '../../server/workshop/disclosure.ts';
import { TestClient, until } from '../support/client.ts';
import { afterReleases, ManualClock } from '../support/clock.ts';
import { createWorkshop } from '../support/server.ts';
import { useTestServer } from '../support/use-server.ts';
import { wireText } from '../support/wire.ts';

/**
 * Moderation must not become a way round anonymity (docs/THREAT-MODEL.md, docs/PROTOCOL.md):
 * the moderation view tells no author, time or order of arrival; moderating a held note tells
 * nobody else anything; and no facilitator action during the vote reads a running tally.
 */
/** Batches and counts are released on a clock (server/workshop/disclosure.ts): here one the test moves. */
const clock = new ManualClock();
const server = useTestServer({ registry: { clock, releaseTiming: RELEASE_TIMING } });

const eventsSince = (c: TestClient, mark: number) => c.received.slice(mark).map((r) => r.event);

describe('the moderation view', () => {
  it('lists held notes with no author, time or arrival order, in batches from at least 3 people', async () => {
    const w = await createWorkshop(server.url, { title: 'Batches', silent: true });
    const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
    const people = await Promise.all(Array.from({ length: 6 }, () => TestClient.participant(server.url, w.code)));
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    // One person writing many notes is never a batch: watching them tap would name the author.
    for (let i = 0; i < 5; i++) await people[0].do({ type: 'note.add', boneId: 'people', text: `Solo ${i}` });
    await people[1].do({ type: 'note.add', boneId: 'people', text: 'Second person' });
    await afterReleases(clock, fac);
    expect(fac.received.filter((r) => r.event === 'self').every((r) => ((r.args[0] as { review?: [] }).review ?? []).length === 0)).toBe(
      true,
    );

    const arrival: string[] = [];
    for (const [i, p] of people.slice(2).entries()) {
      const { noteId } = await p.do({ type: 'note.add', boneId: 'processes', text: `Later ${i}` });
      arrival.push(noteId!);
    }
    await afterReleases(clock, fac);
    await until(() => (fac.self?.review ?? []).length === 10, 'every note, in one batch from 6 people');
    for (const r of fac.received.filter((x) => x.event === 'self')) {
      const review = (r.args[0] as { review?: Array<Record<string, unknown>> }).review ?? [];
      // Nothing while two people had written; then all ten notes of six people at once.
      expect([0, 10]).toContain(review.length);
      for (const n of review)
        expect(Object.keys(n).sort()).toEqual(['boneId', 'edited', 'held', 'id', 'into', 'pick', 'subBoneId', 'text']);
      // Listed by random id, whatever the order of writing.
      const ids = review.map((n) => n.id as string);
      expect(ids).toEqual([...ids].sort());
    }
    // No participant id, token or socket id of anyone in anything the facilitator received.
    const text = wireText(fac.received);
    for (const p of people) for (const secret of [p.token!, p.socket.id!]) expect(text).not.toContain(secret);
  });

  it("moderating a held note reaches no participant and no screen; a held-back note never leaves the facilitators' view", async () => {
    const w = await createWorkshop(server.url, { title: 'Held back', silent: true });
    const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
    const screen = await TestClient.screen(server.url, w.code);
    const people = await Promise.all(Array.from({ length: 4 }, () => TestClient.participant(server.url, w.code)));
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    const abuse = 'Dave from housing is useless and rude';
    const { noteId } = await people[0].do({ type: 'note.add', boneId: 'people', text: abuse });
    for (const [i, p] of people.slice(1).entries()) await p.do({ type: 'note.add', boneId: 'structures', text: `Fine note ${i}` });
    await afterReleases(clock, fac);
    await until(() => (fac.self?.review ?? []).length === 4, 'the batch');
    const others = [screen, ...people];
    // The counts of the four held notes have reached everyone (counts are sent a moment later).
    const held = (c: TestClient) => Object.values(c.stats?.hiddenByBone ?? {}).reduce((a, b) => a + b, 0);
    await Promise.all(others.map((c) => until(() => held(c) === 4, 'counts')));
    await Promise.all(others.map((c) => c.sync()));
    const marks = others.map((c) => c.received.length);
    await fac.do({ type: 'note.hide', noteId: noteId!, hidden: true });
    await fac.do({ type: 'note.edit', noteId: noteId!, text: 'Something about Dave' });
    await fac.do({ type: 'note.move', noteId: noteId!, boneId: 'processes' });
    await fac.do({ type: 'note.hide', noteId: noteId!, hidden: false });
    await fac.do({ type: 'note.hide', noteId: noteId!, hidden: true });
    await Promise.all(others.map((c) => c.sync()));
    // Not its author, not anyone else, not the projector: nothing at all.
    others.forEach((c, i) => expect(eventsSince(c, marks[i]), `client ${i}`).toEqual([]));

    await fac.do({ type: 'notes.reveal' });
    await until(() => screen.board().notes.length === 3, 'the reveal');
    await Promise.all(others.map((c) => c.sync()));
    for (const c of others) {
      expect(wireText(c.received)).not.toContain('Something about Dave');
      if (c !== people[0]) expect(wireText(c.received)).not.toContain(abuse);
    }
    // At the reveal every participant hears from the server, not just the held-back note's author.
    for (const [i, p] of people.entries()) expect(eventsSince(p, marks[i + 1])).toContain('self');
    expect(fac.self!.moderated!.map((n) => n.text)).toEqual(['Something about Dave']);
  });
});

describe('moderation during the vote reads no running tally (issue 12, item 4)', () => {
  /** Voting on four notes: note 0 holds 4 dots of 2 people, note 1 none; 3 voters of 4. */
  async function voting() {
    const w = await createWorkshop(server.url, { title: 'Blind vote', silent: false });
    const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
    const screen = await TestClient.screen(server.url, w.code);
    const people = await Promise.all(Array.from({ length: 4 }, () => TestClient.participant(server.url, w.code)));
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    const notes: string[] = [];
    for (const text of ['Dotted', 'Undotted', 'Other A', 'Other B'])
      notes.push((await fac.do({ type: 'note.add', boneId: 'people', text })).noteId!);
    await fac.do({ type: 'phase.set', phase: 'vote' });
    await people[0].do({ type: 'vote.change', noteId: notes[0], delta: 3 });
    await people[1].do({ type: 'vote.change', noteId: notes[0], delta: 1 });
    await people[1].do({ type: 'vote.change', noteId: notes[2], delta: 2 });
    await people[2].do({ type: 'vote.change', noteId: notes[3], delta: 1 });
    await afterReleases(clock, fac);
    await until(() => fac.stats?.turnout.voters === 3, 'turnout');
    return { fac, screen, people, notes };
  }

  /** Run a facilitator step and collect what each watcher received until its counts arrived. */
  async function watch(watchers: TestClient[], step: () => Promise<unknown>): Promise<string[][]> {
    await Promise.all(watchers.map((c) => c.sync()));
    const marks = watchers.map((c) => c.received.length);
    await step();
    await Promise.all(watchers.map((c, i) => until(() => eventsSince(c, marks[i]).includes('stats'), 'counts')));
    await Promise.all(watchers.map((c) => c.sync()));
    return watchers.map((c, i) => eventsSince(c, marks[i]));
  }

  it('hiding, showing again and removing a note leave turnout as it was, and look the same with or without dots on it', async () => {
    const { fac, screen, people, notes } = await voting();
    const turnout = fac.stats!.turnout;
    expect(turnout).toEqual({ voters: 3, eligible: 4 });
    const watchers = [fac, screen, ...people];

    const hideDotted = await watch(watchers, () => fac.do({ type: 'note.hide', noteId: notes[0], hidden: true }));
    expect(fac.stats!.turnout).toEqual(turnout);
    const hideUndotted = await watch(watchers, () => fac.do({ type: 'note.hide', noteId: notes[1], hidden: true }));
    expect(fac.stats!.turnout).toEqual(turnout);
    // What the facilitator, the projector and every phone received is the same either way: a note
    // with 4 dots on it and a note with none cannot be told apart.
    expect(hideDotted).toEqual(hideUndotted);

    const showDotted = await watch(watchers, () => fac.do({ type: 'note.hide', noteId: notes[0], hidden: false }));
    const showUndotted = await watch(watchers, () => fac.do({ type: 'note.hide', noteId: notes[1], hidden: false }));
    expect(showDotted).toEqual(showUndotted);
    expect(fac.stats!.turnout).toEqual(turnout);

    const removeDotted = await watch(watchers, () => fac.do({ type: 'note.delete', noteId: notes[2] }));
    const removeUndotted = await watch(watchers, () => fac.do({ type: 'note.delete', noteId: notes[1] }));
    expect(removeDotted).toEqual(removeUndotted);
    expect(fac.stats!.turnout).toEqual(turnout);
    const moveDotted = await watch(watchers, () => fac.do({ type: 'note.move', noteId: notes[3], boneId: 'processes' }));
    const moveUndotted = await watch(watchers, () => fac.do({ type: 'note.move', noteId: notes[0], boneId: 'processes' }));
    expect(moveDotted).toEqual(moveUndotted);
    expect(fac.stats!.turnout).toEqual(turnout);

    // The dots went back to their owners, who alone can see it.
    await until(() => people[1].self!.dotsLeft === 5, 'dots given back');
    // Nothing in any count or any facilitator view says how many dots anything had.
    for (const r of fac.received.filter((x) => x.event === 'stats'))
      expect(Object.keys((r.args[0] as { turnout: object }).turnout).sort()).toEqual(['eligible', 'voters']);
    for (const r of fac.received.filter((x) => x.event === 'self')) expect((r.args[0] as { ballot: object }).ballot).toEqual({});
  });

  it('stepping back to review and on to voting again does not depend on the dots, and keeps them', async () => {
    const { fac, people, notes } = await voting();
    // Every dot people placed was on note 0 or taken back (before, a step back was refused
    // exactly when dots were down: hiding note 0 and trying would have told its tally).
    await people[1].do({ type: 'vote.change', noteId: notes[2], delta: -2 });
    await people[2].do({ type: 'vote.change', noteId: notes[3], delta: -1 });
    await fac.do({ type: 'phase.set', phase: 'review' });
    await fac.do({ type: 'phase.set', phase: 'vote' });
    expect(people[0].self!.ballot).toEqual({ [notes[0]]: 3 });
    await until(() => fac.stats?.turnout.voters === 3, 'turnout as it was');
  });
});
