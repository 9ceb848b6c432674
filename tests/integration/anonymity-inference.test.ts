import { describe, expect, it } from 'vitest';
import { RELEASE_TIMING } from '../../server/workshop/disclosure.ts';
import type { CommandInput } from '../../shared/commands.ts';
import type { Stats } from '../../shared/events.ts';
import { allText, heldTotal, probe, reviewsSeen } from '../support/adversary.ts';
import { TestClient, until } from '../support/client.ts';
import { afterReleases, ManualClock } from '../support/clock.ts';
import { createWorkshop } from '../support/server.ts';
import { useTestServer } from '../support/use-server.ts';

/**
 * Issue 22, written as the adversary: the facilitator and a co-facilitator capture every frame
 * their pages receive (Yjs updates decoded), and watch who in the room taps when. Each message
 * on its own was clean; the sequence linked notes, proposals and answers to people. Each test
 * below failed before server/workshop/disclosure.ts (docs/THREAT-MODEL.md), and passes after.
 *
 * The server's releases run on a clock the tests move, so "right after the tap" and "a few
 * seconds later" are exact.
 */
const clock = new ManualClock();
const server = useTestServer({ registry: { clock, releaseTiming: RELEASE_TIMING } });
const { quietMs } = RELEASE_TIMING;

/** A workshop with its owner, a co-facilitator, the projector and `n` participants. */
async function room(n: number, body: object = { silent: true }) {
  const w = await createWorkshop(server.url, { title: 'Watched room', ...body });
  const owner = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
  const { link } = await owner.do({ type: 'cofacilitator.create' });
  const co = await TestClient.facilitator(server.url, w.code, link!.key);
  const screen = await TestClient.screen(server.url, w.code);
  const people = await Promise.all(Array.from({ length: n }, () => TestClient.participant(server.url, w.code)));
  const facilitators = [owner, co];
  /** Every frame anyone has sent before now has reached both facilitators and the projector. */
  const synced = () => Promise.all([...facilitators, screen].map((c) => c.sync()));
  /** The counts as every watcher would see them now, whatever a tap could have moved. */
  const counts = () => probe(server.url, w.code, [...facilitators, screen]);
  return { w, owner, co, screen, people, facilitators, synced, counts };
}

/** The Act phase with a ranking: the owner's three notes, which three participants voted for. */
async function inAct(n: number) {
  const r = await room(n, { silent: false });
  const { owner, people } = r;
  await owner.do({ type: 'phase.set', phase: 'brainstorm' });
  const ids: string[] = [];
  for (const text of ['Different funding cycles', 'Doctors dominate meetings', 'No shared records'])
    ids.push((await owner.do({ type: 'note.add', boneId: 'people', text })).noteId!);
  await owner.do({ type: 'phase.set', phase: 'vote' });
  for (const p of people.slice(0, 3)) {
    await p.do({ type: 'vote.change', noteId: ids[0], delta: 2 });
    await p.do({ type: 'vote.change', noteId: ids[1], delta: 1 });
  }
  await owner.do({ type: 'phase.set', phase: 'reveal' });
  await owner.do({ type: 'phase.set', phase: 'act' });
  return { ...r, top: ids.slice(0, 2) };
}

const reviewIds = (c: TestClient) => [...reviewsSeen(c).keys()].sort();

describe('the moderation view, watched', () => {
  it('1. a batch is never released by a participant’s tap: it comes a few seconds after the last note, by the clock', async () => {
    const { owner, people, facilitators, synced } = await room(3);
    await owner.do({ type: 'phase.set', phase: 'brainstorm' });
    const mine: string[] = [];
    for (const [i, p] of people.entries()) {
      mine.push((await p.do({ type: 'note.add', boneId: 'people', text: `Note ${i}` })).noteId!);
      // Whoever just tapped: nothing reached either facilitator because of it.
      await synced();
      for (const f of facilitators) expect(reviewsSeen(f).size, `after tap ${i + 1}`).toBe(0);
    }
    // Nor a moment before the quiet time after the last note has passed.
    clock.advance(quietMs - 1);
    await owner.send({ type: 'timer.pause' });
    await synced();
    for (const f of facilitators) expect(reviewsSeen(f).size).toBe(0);
    // Then by the clock, with no one tapping: all three people's notes together.
    await afterReleases(clock, owner);
    for (const f of facilitators) await until(() => reviewsSeen(f).size === 3, 'the batch');
    for (const f of facilitators) expect(reviewIds(f)).toEqual([...mine].sort());
  });

  it('2. per-bone counts do not move with a tap: they move at releases, from 3 people, with the batch', async () => {
    const { owner, screen, people, facilitators, synced, counts } = await room(4);
    await owner.do({ type: 'phase.set', phase: 'brainstorm' });
    const bones = ['people', 'processes', 'structures'];
    for (const [i, p] of people.slice(0, 3).entries()) {
      await p.do({ type: 'note.add', boneId: bones[i], text: `On ${bones[i]}` });
      // Whatever the room is told right after a tap shows no note on any bone.
      for (const stats of await counts()) expect(stats.hiddenByBone, `after tap ${i + 1}`).toEqual({});
    }
    await afterReleases(clock, owner);
    for (const c of [...facilitators, screen]) await until(() => heldTotal(c.stats) === 3, 'counts at the release');
    expect(screen.stats!.hiddenByBone).toEqual({ people: 1, processes: 1, structures: 1 });
    // Every count frame either facilitator ever got showed nothing, or the whole batch.
    for (const f of facilitators)
      for (const r of f.received.filter((x) => x.event === 'stats')) expect([0, 3]).toContain(heldTotal(r.args[0] as Stats));

    // A withdrawal, and a fourth person's note, move nothing either.
    const own = people[0].self!.notes[0].id;
    await people[0].do({ type: 'note.delete', noteId: own });
    await people[3].do({ type: 'note.add', boneId: 'people', text: 'A fourth' });
    await afterReleases(clock, owner);
    for (const stats of await counts()) expect(stats.hiddenByBone).toEqual({ people: 1, processes: 1, structures: 1 });
    await synced();
    expect(allText(screen)).not.toContain('A fourth');
  });

  it('5. locking, unlocking and settings never release a batch of one person’s notes', async () => {
    const { owner, people, facilitators, synced } = await room(3);
    await owner.do({ type: 'phase.set', phase: 'brainstorm' });
    const [alice] = people;
    await alice.do({ type: 'note.add', boneId: 'people', text: 'Alice one' });
    await alice.do({ type: 'note.add', boneId: 'people', text: 'Alice two' });
    await owner.do({ type: 'board.lock', locked: true });
    await afterReleases(clock, owner);
    await owner.do({ type: 'board.lock', locked: false });
    await alice.do({ type: 'note.add', boneId: 'processes', text: 'Alice three' });
    await owner.do({ type: 'board.lock', locked: true });
    await owner.do({ type: 'settings.set', hold: true });
    await owner.do({ type: 'settings.set', hold: false });
    await afterReleases(clock, owner);
    await synced();
    for (const f of facilitators) {
      expect(reviewsSeen(f).size).toBe(0);
      expect(allText(f)).not.toContain('Alice');
    }
  });
});

describe('Act, watched', () => {
  it('3. proposals from one person are never shown, nor counted, however many they send', async () => {
    const { owner, people, facilitators, counts } = await inAct(3);
    const [alice, bob, carol] = people;
    for (const i of [1, 2, 3]) await alice.do({ type: 'proposal.add', text: `Alice's idea ${i}` });
    const shown = await owner.send({ type: 'proposals.show' });
    expect(shown.ok).toBe(false);
    await afterReleases(clock, owner);
    for (const stats of await counts()) expect(stats.act?.proposalsWaiting).toBe(0);
    expect((await owner.send({ type: 'proposals.show' })).ok).toBe(false);
    for (const f of facilitators) expect(allText(f)).not.toContain("Alice's idea");

    // With two more people's, all five are ready: shown together, shuffled.
    await bob.do({ type: 'proposal.add', text: "Bob's idea" });
    await carol.do({ type: 'proposal.add', text: "Carol's idea" });
    await afterReleases(clock, owner);
    await until(() => owner.stats?.act?.proposalsWaiting === 5, 'five ready');
    await owner.do({ type: 'proposals.show' });
    for (const f of facilitators) await until(() => f.self?.proposals?.length === 5, 'shown');
  });

  it('4. control answers are never shown while fewer than 3 people answered; a barrier fewer answered gets no totals', async () => {
    const { owner, screen, people, facilitators, counts, top } = await inAct(3);
    const [alice, bob, carol] = people;
    await alice.do({ type: 'control.answer', noteId: top[0], answer: 'outside' });
    await alice.do({ type: 'control.answer', noteId: top[1], answer: 'control' });
    expect((await owner.send({ type: 'control.show' })).ok).toBe(false);
    await afterReleases(clock, owner);
    for (const stats of await counts()) expect(stats.act?.answered).toBe(0);
    expect(screen.board().controlCounts).toBeNull();

    await bob.do({ type: 'control.answer', noteId: top[0], answer: 'control' });
    await carol.do({ type: 'control.answer', noteId: top[0], answer: 'control' });
    await afterReleases(clock, owner);
    await until(() => owner.stats?.act?.answered === 3, 'three answered');
    await owner.do({ type: 'control.show' });
    for (const c of [...facilitators, screen]) await until(() => c.board().controlCounts !== null, 'shown');
    // Top barrier 2 was Alice's alone: no totals for it.
    expect(screen.board().controlCounts).toEqual({ answered: 3, notes: { [top[0]]: { control: 2, influence: 0, outside: 1 } } });
  });
});

describe('leaving, watched', () => {
  /** What every count but the head count says. */
  const beyondHeadCount = (s: Stats) => ({ finished: s.finished, turnout: s.turnout, act: s.act });

  async function leaves(watchers: TestClient[], who: TestClient, left: number): Promise<Array<ReturnType<typeof beyondHeadCount>>> {
    who.close();
    await Promise.all(watchers.map((c) => until(() => c.stats?.connected.participants === left, 'left')));
    return watchers.map((c) => beyondHeadCount(c.stats!));
  }

  it('6. when someone leaves, only the head count moves, whether they had finished or voted or not', async () => {
    const { w, owner, screen, people, facilitators, counts } = await room(5, { silent: false });
    const watchers = [...facilitators, screen];
    await owner.do({ type: 'phase.set', phase: 'brainstorm' });
    const [a, b, c, d, e] = people;
    for (const p of [a, b, c]) await p.do({ type: 'finished.set', phase: 'brainstorm', finished: true });
    await afterReleases(clock, owner);
    await until(() => screen.stats?.finished?.done === 3, 'three finished');
    const before = (await counts()).map(beyondHeadCount);
    // One who had finished leaves, then one who had not: "finished" cannot tell them apart, and
    // no count but the head count moves at all.
    const afterA = await leaves(watchers, a, 4);
    const afterD = await leaves(watchers, d, 3);
    expect(afterD.map((x) => x.finished)).toEqual(afterA.map((x) => x.finished));
    expect(afterA).toEqual(before);
    expect(afterD).toEqual(before);

    // The vote: one who voted leaves, then one who did not.
    const { noteId } = await owner.do({ type: 'note.add', boneId: 'people', text: 'Something to vote on' });
    const f = await TestClient.participant(server.url, w.code);
    const g = await TestClient.participant(server.url, w.code);
    await owner.do({ type: 'phase.set', phase: 'vote' });
    for (const p of [b, c, f]) await p.do({ type: 'vote.change', noteId: noteId!, delta: 1 });
    await afterReleases(clock, owner);
    await until(() => screen.stats?.turnout.voters === 3, 'three voted');
    const voting = (await counts()).map(beyondHeadCount);
    const afterB = await leaves(watchers, b, 4);
    const afterE = await leaves(watchers, e, 3);
    expect(afterE.map((x) => x.turnout)).toEqual(afterB.map((x) => x.turnout));
    expect(afterB).toEqual(voting);
    expect(afterE).toEqual(voting);
    g.close();
  });

  it('a tap on "I’ve finished" or a first dot moves no count at once', async () => {
    const { owner, people, counts } = await room(3, { silent: false });
    await owner.do({ type: 'phase.set', phase: 'brainstorm' });
    const taps: Array<[TestClient, CommandInput]> = people.map((p) => [p, { type: 'finished.set', phase: 'brainstorm', finished: true }]);
    for (const [p, cmd] of taps) {
      await p.do(cmd);
      for (const stats of await counts()) expect(stats.finished?.done).toBe(0);
    }
    const { noteId } = await owner.do({ type: 'note.add', boneId: 'people', text: 'Vote here' });
    await owner.do({ type: 'phase.set', phase: 'vote' });
    for (const p of people) {
      await p.do({ type: 'vote.change', noteId: noteId!, delta: 1 });
      for (const stats of await counts()) expect(stats.turnout.voters).toBe(0);
    }
    await afterReleases(clock, owner);
    await until(() => owner.stats?.turnout.voters === 3, 'turnout at the release');
  });
});
