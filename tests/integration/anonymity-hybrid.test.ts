import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { RELEASE_TIMING } from '../../server/workshop/disclosure.ts';
import { participantId } from '../../server/workshop/keys.ts';
import type { ControlTag } from '../../shared/commands.ts';
import type { SelfView, Stats } from '../../shared/events.ts';
import { fromBase64 } from '../../shared/base64.ts';
import { TestClient, until } from '../support/client.ts';
import { afterReleases, ManualClock } from '../support/clock.ts';
import { createWorkshop } from '../support/server.ts';
import { useTestServer } from '../support/use-server.ts';
import { wireText } from '../support/wire.ts';

/**
 * Anonymity of the hybrid day's messages (issue 13), read off every packet every client
 * received: "I've finished", action proposals and "within our control?" answers. No per-person
 * answer leaves the server except to that person; proposals reach facilitators as words only,
 * in a shuffled batch; answers are counts, and only once the facilitator shows them.
 */

/** Counts and proposals are released on a clock (server/workshop/disclosure.ts): here one the test moves. */
const clock = new ManualClock();
const server = useTestServer({ registry: { clock, releaseTiming: RELEASE_TIMING } });

const CONTROL: ControlTag[] = ['control', 'influence', 'outside'];

const events = (c: TestClient, event: string, from = 0) => c.received.slice(from).filter((r) => r.event === event);
const selves = (c: TestClient, from = 0) => events(c, 'self', from).map((r) => r.args[0] as SelfView);

/** Every leaf of a value is a number (counts) or null. */
function onlyCounts(v: unknown): boolean {
  if (v === null || typeof v === 'number') return true;
  if (typeof v === 'object') return Object.values(v as object).every(onlyCounts);
  return false;
}

describe('anonymity of the hybrid day', () => {
  it('finished, proposals and control answers: no per-person answer reaches anyone else, in any packet', async () => {
    const w = await createWorkshop(server.url, { title: 'Hybrid anonymity', silent: false });
    const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
    const screen = await TestClient.screen(server.url, w.code);
    const people = await Promise.all(Array.from({ length: 8 }, () => TestClient.participant(server.url, w.code)));
    const everyone = [fac, screen, ...people];
    const syncAll = () => Promise.all(everyone.map((c) => c.sync()));
    const workshopId = server.store.db.prepare('SELECT id FROM workshops WHERE code = ?').pluck().get(w.code) as string;

    // Brainstorm and vote, each person saying "I've finished" in both.
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    const noteIds: string[] = [];
    for (const [i, text] of ['Doctors dominate meetings', 'Different funding cycles', 'No shared records', 'Partnership fatigue'].entries())
      noteIds.push((await people[i].do({ type: 'note.add', boneId: 'processes', text })).noteId!);
    for (const p of people.slice(0, 5)) await p.do({ type: 'finished.set', phase: 'brainstorm', finished: true });
    await fac.do({ type: 'phase.set', phase: 'vote' });
    for (const [i, p] of people.entries()) {
      await p.do({ type: 'vote.change', noteId: noteIds[i % 3], delta: 2 });
      await p.do({ type: 'finished.set', phase: 'vote', finished: true });
    }
    await fac.do({ type: 'phase.set', phase: 'reveal' });
    await fac.do({ type: 'phase.set', phase: 'act' });
    await until(() => screen.board().tally !== null && screen.board().meta.phase === 'act', 'in Act');
    const top = [noteIds[0], noteIds[1], noteIds[2]];

    // Proposals: while they are written, the document does not change and facilitators hear
    // nothing but a count.
    await syncAll();
    const atProposals = everyone.map((c) => c.received.length);
    const proposals = people.map((p, i) => `Proposal ${i}: ${p.token!.slice(0, 8)} suggests a joint rota`);
    for (const [i, p] of people.entries()) await p.do({ type: 'proposal.add', text: proposals[i] });
    await afterReleases(clock, fac);
    await until(() => fac.stats?.act?.proposalsWaiting === 8, '8 ready');
    await syncAll();
    for (const [k, c] of everyone.entries()) expect(events(c, 'doc', atProposals[k])).toHaveLength(0);
    expect(selves(fac, atProposals[0])).toHaveLength(0);
    for (const c of [fac, screen]) for (const text of proposals) expect(wireText(c.received)).not.toContain(text);

    // Shown: one batch, in one view, shuffled, words only.
    const atShow = fac.received.length;
    await fac.do({ type: 'proposals.show' });
    await until(() => fac.self?.proposals?.length === 8, 'shown');
    const shownViews = selves(fac, atShow).filter((s) => s.proposals?.length);
    expect(shownViews[0].proposals).toHaveLength(8);
    const shownOrder = fac.self!.proposals!.map((p) => p.text);
    expect(new Set(shownOrder)).toEqual(new Set(proposals));
    expect(shownOrder).not.toEqual(proposals);
    for (const p of fac.self!.proposals!) expect(Object.keys(p).sort()).toEqual(['accepted', 'id', 'text']);

    // Control answers: each person's own, kept from everyone else; nothing in the document.
    await syncAll();
    const atAnswers = everyone.map((c) => c.received.length);
    const mine = people.map((_, i) => Object.fromEntries(top.map((id, k) => [id, CONTROL[(i + k) % 3]])) as Record<string, ControlTag>);
    for (const [i, p] of people.entries())
      for (const [noteId, answer] of Object.entries(mine[i])) await p.do({ type: 'control.answer', noteId, answer });
    await afterReleases(clock, fac);
    await until(() => screen.stats?.act?.answered === 8, '8 answered');
    await syncAll();
    for (const [k, c] of everyone.entries()) expect(events(c, 'doc', atAnswers[k])).toHaveLength(0);
    for (const c of everyone) expect(c.board().controlCounts).toBeNull();

    await fac.do({ type: 'control.show' });
    await until(() => screen.board().controlCounts !== null, 'counts shown');
    const counts = screen.board().controlCounts!;
    expect(Object.keys(counts).sort()).toEqual(['answered', 'notes']);
    expect(counts.answered).toBe(8);
    for (const id of top) {
      expect(Object.keys(counts.notes[id]).sort()).toEqual(['control', 'influence', 'outside']);
      for (const tag of CONTROL) expect(counts.notes[id][tag]).toBe(mine.filter((m) => m[id] === tag).length);
    }
    await syncAll();

    // Every view each person ever got was their own.
    for (const [i, p] of people.entries()) {
      expect(p.self?.control).toEqual(mine[i]);
      for (const s of selves(p)) {
        expect(s.proposals).toBeUndefined();
        for (const own of s.ownProposals ?? []) expect(own.text).toBe(proposals[i]);
        for (const [noteId, answer] of Object.entries(s.control ?? {})) expect(mine[i][noteId]).toBe(answer);
        for (const phase of s.finished ?? []) expect(phase === 'vote' || i < 5).toBe(true);
      }
      for (const [j, text] of proposals.entries()) if (j !== i) expect(wireText(p.received)).not.toContain(text);
    }
    for (const s of selves(fac)) {
      expect(s.control).toBeUndefined();
      expect(s.ownProposals).toBeUndefined();
      expect(s.finished).toBeUndefined();
    }
    // Counts only in every stats message anyone received; the screen never got a proposal.
    for (const c of everyone) {
      for (const r of events(c, 'stats')) {
        const st = r.args[0] as Stats;
        expect(onlyCounts(st.finished)).toBe(true);
        expect(onlyCounts(st.act)).toBe(true);
      }
    }
    for (const text of proposals) expect(wireText(screen.received)).not.toContain(text);
    // No control answer ever went into the document before the show: every update is counts-free.
    for (const c of everyone)
      for (const r of events(c, 'doc')) {
        const d = new Y.Doc();
        Y.applyUpdate(d, fromBase64(r.args[0] as string));
        const answers = d.getMap('answers');
        if (answers.size) expect(onlyCounts(answers.toJSON())).toBe(true);
      }

    // No participant id or token reaches anyone but its owner.
    const secrets = people.flatMap((p) => [p.token!, participantId(workshopId, p.token!)].map((s) => ({ owner: p, s })));
    for (const c of everyone) {
      const text = wireText(c.received);
      for (const { owner, s } of secrets) if (owner !== c) expect(text).not.toContain(s);
    }
    everyone.forEach((c) => c.close());
  });
});
