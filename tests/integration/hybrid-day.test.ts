import { describe, expect, it } from 'vitest';
import { RELEASE_TIMING } from '../../server/workshop/disclosure.ts';
import { probe } from '../support/adversary.ts';
import { TestClient, until } from '../support/client.ts';
import { afterReleases, ManualClock } from '../support/clock.ts';
import { createWorkshop, removeDir, startServer } from '../support/server.ts';
import { useTestServer } from '../support/use-server.ts';
import { expectRefused } from '../support/refused.ts';

/**
 * The hybrid day (issue 13) on the server: "I've finished" counts, anonymous action proposals
 * shown in batches, and each participant's "within our control?" answers, kept private until the
 * facilitator shows them as counts. Counts and batches are released by the clock, from 3 or more
 * people (server/workshop/disclosure.ts): here a clock the tests move.
 */

const clock = new ManualClock();
const server = useTestServer({ registry: { clock, releaseTiming: RELEASE_TIMING } });
const released = (via: TestClient) => afterReleases(clock, via);

/** A workshop in the Act phase with a ranking: notes on three bones, everyone voted. */
async function inAct(people = 4, url = server.url) {
  const w = await createWorkshop(url, { title: 'Hybrid away-day', silent: false });
  const fac = await TestClient.facilitator(url, w.code, w.facilitatorKey);
  const screen = await TestClient.screen(url, w.code);
  const ps = await Promise.all(Array.from({ length: people }, () => TestClient.participant(url, w.code)));
  await fac.do({ type: 'settings.set', topN: 2 });
  await fac.do({ type: 'phase.set', phase: 'brainstorm' });
  const ids: string[] = [];
  for (const [i, text] of ['Different funding cycles', 'Doctors dominate meetings', 'No shared records'].entries())
    ids.push((await ps[0].do({ type: 'note.add', boneId: ['resources', 'people', 'processes'][i], text })).noteId!);
  await fac.do({ type: 'phase.set', phase: 'vote' });
  for (const p of ps) {
    await p.do({ type: 'vote.change', noteId: ids[1], delta: 2 });
    await p.do({ type: 'vote.change', noteId: ids[0], delta: 1 });
  }
  await ps[0].do({ type: 'finished.set', phase: 'vote', finished: true });
  await fac.do({ type: 'phase.set', phase: 'reveal' });
  await fac.do({ type: 'phase.set', phase: 'act' });
  const [funding, doctors, records] = ids;
  return { w, fac, screen, ps, doctors, funding, records };
}

describe("I've finished", () => {
  it('counts who said so, in steps of 3 or more people, a few seconds later; leaving moves none of it', async () => {
    const w = await createWorkshop(server.url, { title: 'Finishing', silent: true });
    const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
    const screen = await TestClient.screen(server.url, w.code);
    const [a, b, c, d, e] = await Promise.all([0, 1, 2, 3, 4].map(() => TestClient.participant(server.url, w.code)));
    const watchers = [fac, screen];
    expect(fac.stats?.finished).toBeNull();
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    await until(() => screen.stats?.finished?.of === 5, 'five who could finish');
    expect(screen.stats?.finished).toEqual({ done: 0, of: 5 });

    // Two people: their own views say so at once; the count waits for a third.
    await a.do({ type: 'finished.set', phase: 'brainstorm', finished: true });
    await b.do({ type: 'finished.set', phase: 'brainstorm', finished: true });
    expect(a.self?.finished).toEqual(['brainstorm']);
    await released(fac);
    for (const stats of await probe(server.url, w.code, watchers)) expect(stats.finished).toEqual({ done: 0, of: 5 });
    await c.do({ type: 'finished.set', phase: 'brainstorm', finished: true });
    await released(fac);
    for (const x of [...watchers, d]) await until(() => x.stats?.finished?.done === 3, '3 of 5 finished');
    expect(d.self?.finished).toBeUndefined();
    expect(fac.self?.finished).toBeUndefined();

    // Taking it back and saying it twice are both fine; the count moves once 3 people's changed.
    await b.do({ type: 'finished.set', phase: 'brainstorm', finished: false });
    await a.do({ type: 'finished.set', phase: 'brainstorm', finished: true });
    await d.do({ type: 'finished.set', phase: 'brainstorm', finished: true });
    await released(fac);
    for (const stats of await probe(server.url, w.code, watchers)) expect(stats.finished).toEqual({ done: 3, of: 5 });
    await e.do({ type: 'finished.set', phase: 'brainstorm', finished: true });
    await released(fac);
    await until(() => screen.stats?.finished?.done === 4, '4 of 5 finished');
    expect(b.self?.finished).toBeUndefined();

    // Leaving: whether they had finished (c) or not (b), only the head count moves.
    c.close();
    await until(() => screen.stats?.connected.participants === 4, 'c left');
    expect(screen.stats?.finished).toEqual({ done: 4, of: 5 });
    b.close();
    await until(() => screen.stats?.connected.participants === 3, 'b left');
    expect(screen.stats?.finished).toEqual({ done: 4, of: 5 });
    const c2 = await TestClient.participant(server.url, w.code, c.token);
    expect(c2.self?.finished).toEqual(['brainstorm']);

    // A new phase that can be finished starts at zero, of those here now.
    await fac.do({ type: 'phase.set', phase: 'review' });
    await until(() => screen.stats?.finished === null, 'no count in the review');
    await fac.do({ type: 'phase.set', phase: 'vote' });
    await until(() => screen.stats?.finished?.done === 0, 'none finished the vote yet');
    expect(screen.stats?.finished).toEqual({ done: 0, of: 4 });
    for (const x of [a, c2, d]) await x.do({ type: 'finished.set', phase: 'vote', finished: true });
    await released(fac);
    await until(() => screen.stats?.finished?.done === 3, '3 finished voting');
    expect(c2.self?.finished).toEqual(['brainstorm', 'vote']);
    for (const x of [a, c2, d, e, fac, screen]) x.close();
  });

  it('refuses it from a facilitator or a screen, for another phase, and once closed', async () => {
    const w = await createWorkshop(server.url, { title: 'Finishing refused', silent: false });
    const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
    const screen = await TestClient.screen(server.url, w.code);
    const p = await TestClient.participant(server.url, w.code);
    const others = [fac, screen];
    await expectRefused(p, others, { type: 'finished.set', phase: 'brainstorm', finished: true }, 'wrong_phase', /Lobby/);
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    await expectRefused(p, others, { type: 'finished.set', phase: 'vote', finished: true }, 'wrong_phase', /another phase/);
    await expectRefused(fac, [screen, p], { type: 'finished.set', phase: 'brainstorm', finished: true }, 'forbidden', /Only participants/);
    await expectRefused(screen, [fac, p], { type: 'finished.set', phase: 'brainstorm', finished: true }, 'forbidden');
    await expectRefused(p, others, { type: 'finished.set', phase: 'review', finished: true } as never, 'bad_request', /phase/);
    await expectRefused(p, others, { type: 'finished.set', phase: 'brainstorm', finished: 'yes' } as never, 'bad_request', /finished/);
    await fac.do({ type: 'phase.set', phase: 'review' });
    await expectRefused(p, others, { type: 'finished.set', phase: 'brainstorm', finished: true }, 'wrong_phase', /Review/);
    await fac.do({ type: 'phase.set', phase: 'closed' });
    await expectRefused(p, others, { type: 'finished.set', phase: 'brainstorm', finished: true }, 'closed');
    for (const x of [p, fac, screen]) x.close();
  });
});

describe('action proposals from the phones', () => {
  it('wait unseen, reach facilitators in a shuffled batch of 3 or more without authors, and become actions', async () => {
    const { w, fac, screen, ps, doctors } = await inAct(4);
    const texts = ['Rotate who chairs the board', 'Joint training day each quarter', 'One shared referral form', 'Pool the budget'];
    const ids: string[] = [];
    for (const [i, text] of texts.entries()) ids.push((await ps[i].do({ type: 'proposal.add', text })).proposalId!);
    await released(fac);
    for (const x of [fac, screen]) await until(() => x.stats?.act?.proposalsWaiting === 4, '4 ready');
    expect(ps[0].self?.ownProposals).toEqual([{ id: ids[0], text: texts[0], state: 'waiting' }]);
    expect(ps[1].self?.ownProposals).toEqual([{ id: ids[1], text: texts[1], state: 'waiting' }]);
    expect(fac.self?.proposals).toBeUndefined();
    expect(fac.board().actions).toEqual([]);

    await fac.do({ type: 'proposals.show' });
    await until(() => fac.self?.proposals?.length === 4, 'four shown');
    expect(new Set(fac.self!.proposals!.map((p) => p.text))).toEqual(new Set(texts));
    for (const p of fac.self!.proposals!) expect(Object.keys(p).sort()).toEqual(['accepted', 'id', 'text']);
    await until(() => screen.stats?.act?.proposalsWaiting === 0, 'none waiting');
    await until(() => ps[2].self?.ownProposals?.[0].state === 'shown', "the author's own view says shown");

    // One more waits, uncounted: one person's, too few to show on its own.
    const late = (await ps[3].do({ type: 'proposal.add', text: 'Share a duty rota' })).proposalId!;
    await released(fac);
    for (const stats of await probe(server.url, w.code, [fac, screen])) expect(stats.act?.proposalsWaiting).toBe(0);
    await expectRefused(fac, [screen, ps[0]], { type: 'proposals.show' }, 'too_few', /No proposals are ready.*at least 3 people/);
    // Its id is known to its author alone; to a facilitator it is not there.
    await expectRefused(fac, [screen, ps[0]], { type: 'proposal.accept', proposalId: late, who: '', when: '' }, 'not_found', /proposal/);
    await expectRefused(fac, [screen, ps[0]], { type: 'proposal.dismiss', proposalId: late }, 'not_found');

    const chosen = fac.self!.proposals!.find((p) => p.text === 'One shared referral form')!;
    const { actionId } = await fac.do({
      type: 'proposal.accept',
      proposalId: chosen.id,
      noteId: doctors,
      who: 'Ward managers',
      when: 'March',
    });
    await until(() => screen.board().actions.length === 1, 'the action on the screen');
    expect(screen.board().actions[0]).toMatchObject({
      id: actionId,
      what: 'One shared referral form',
      who: 'Ward managers',
      when: 'March',
      noteId: doctors,
    });
    await until(() => fac.self?.proposals?.find((p) => p.id === chosen.id)?.accepted === true, 'marked as an action');
    await until(() => ps[2].self?.ownProposals?.[0].state === 'accepted', 'its author sees it became an action');
    await expectRefused(
      fac,
      [screen, ps[0]],
      { type: 'proposal.accept', proposalId: chosen.id, who: '', when: '' },
      'bad_request',
      /already an action/,
    );

    const dismissed = fac.self!.proposals!.find((p) => p.text === 'Pool the budget')!;
    await fac.do({ type: 'proposal.dismiss', proposalId: dismissed.id });
    await until(() => fac.self?.proposals?.length === 3, 'dismissed');
    await until(() => ps[3].self?.ownProposals?.length === 1, "gone from its author's view");
    for (const x of [fac, screen, ...ps]) x.close();
  });

  it('refuses bad proposals and the wrong sender, changing nothing', async () => {
    const { w, fac, screen, ps, doctors } = await inAct(1);
    const [p] = ps;
    const others = [fac, screen];
    await expectRefused(p, others, { type: 'proposal.add', text: '   ' }, 'empty_text');
    await expectRefused(p, others, { type: 'proposal.add', text: 'x'.repeat(201) }, 'too_long', /200/);
    await expectRefused(p, others, { type: 'proposal.add', text: 'Bell\u0007' }, 'invalid_text');
    await expectRefused(p, others, { type: 'proposal.add', text: 'y'.repeat(401) }, 'bad_request', /text/);
    await expectRefused(p, others, { type: 'proposal.add' } as never, 'bad_request', /text/);
    await expectRefused(fac, [screen, p], { type: 'proposal.add', text: 'From the facilitator' }, 'forbidden', /Only participants/);
    await expectRefused(screen, [fac, p], { type: 'proposal.add', text: 'From the screen' }, 'forbidden');
    await expectRefused(p, others, { type: 'proposals.show' }, 'forbidden');
    await expectRefused(p, others, { type: 'proposal.accept', proposalId: 'abcdefgh', who: '', when: '' }, 'forbidden');
    await expectRefused(p, others, { type: 'proposal.dismiss', proposalId: 'abcdefgh' }, 'forbidden');
    await expectRefused(
      fac,
      [screen, p],
      { type: 'proposal.accept', proposalId: '__proto__', who: '', when: '' },
      'bad_request',
      /proposalId/,
    );
    await expectRefused(fac, [screen, p], { type: 'proposal.accept', proposalId: 'nope1234', who: '', when: '' }, 'not_found');
    await expectRefused(fac, [screen, p], { type: 'proposals.show' }, 'too_few', /No proposals are ready/);

    // Three proposals shown; accepting one with bad fields refuses and keeps it a proposal.
    const extra = await Promise.all([0, 1].map(() => TestClient.participant(server.url, w.code)));
    for (const [i, x] of [p, ...extra].entries()) await x.do({ type: 'proposal.add', text: `Idea ${i}` });
    await released(fac);
    await fac.do({ type: 'proposals.show' });
    await until(() => fac.self?.proposals?.length === 3, 'shown');
    const id = fac.self!.proposals![0].id;
    await expectRefused(fac, [screen, p], { type: 'proposal.accept', proposalId: id, who: 'w'.repeat(201), when: '' }, 'too_long');
    await expectRefused(fac, [screen, p], { type: 'proposal.accept', proposalId: id, who: '', when: '', noteId: 'gone1234' }, 'not_found');
    await expectRefused(fac, [screen, p], { type: 'proposal.accept', proposalId: id, when: '' } as never, 'bad_request', /who/);

    // Outside Act, and once closed.
    await fac.do({ type: 'phase.set', phase: 'reveal' });
    await expectRefused(p, others, { type: 'proposal.add', text: 'Too early' }, 'wrong_phase', /Act phase/);
    await expectRefused(fac, [screen, p], { type: 'proposal.accept', proposalId: id, who: '', when: '', noteId: doctors }, 'wrong_phase');
    await fac.do({ type: 'phase.set', phase: 'act' });
    await fac.do({ type: 'phase.set', phase: 'closed' });
    await expectRefused(fac, [screen], { type: 'proposal.dismiss', proposalId: id }, 'closed');
    for (const x of [fac, screen, p, ...extra]) x.close();
  });
});

describe('"within our control?" from the phones', () => {
  it('each answer is private; only how many answered shows, until the facilitator shows the counts once', async () => {
    const { fac, screen, ps, doctors, funding } = await inAct(4);
    const answers = [
      { [doctors]: 'control', [funding]: 'outside' },
      { [doctors]: 'influence' },
      { [doctors]: 'control', [funding]: 'influence' },
    ] as const;
    for (const [i, mine] of answers.entries()) {
      // Two people's answers cannot be shown: the totals would be theirs.
      if (i === 2) await expectRefused(fac, [screen, ps[0]], { type: 'control.show' }, 'too_few', /Fewer than 3 people have answered/);
      for (const [noteId, answer] of Object.entries(mine)) await ps[i].do({ type: 'control.answer', noteId, answer });
    }
    await released(fac);
    for (const x of [fac, screen, ps[3]]) await until(() => x.stats?.act?.answered === 3, '3 of 4 answered');
    expect(screen.stats?.act).toEqual({ proposalsWaiting: 0, answered: 3, of: 4 });
    expect(ps[0].self?.control).toEqual(answers[0]);
    expect(ps[1].self?.control).toEqual(answers[1]);
    expect(ps[3].self?.control).toBeUndefined();
    expect(fac.self?.control).toBeUndefined();
    expect(fac.board().controlCounts).toBeNull();

    // Changing and clearing an answer.
    await ps[1].do({ type: 'control.answer', noteId: doctors, answer: 'outside' });
    await ps[3].do({ type: 'control.answer', noteId: funding, answer: 'control' });
    await ps[3].do({ type: 'control.answer', noteId: funding, answer: null });
    expect(ps[3].self?.control).toBeUndefined();

    await fac.do({ type: 'control.show' });
    for (const x of [screen, ps[3]]) await until(() => x.board().controlCounts !== null, 'counts shown');
    // Totals for the barrier 3 people answered; none for the one only 2 did.
    expect(screen.board().controlCounts).toEqual({ answered: 3, notes: { [doctors]: { control: 2, influence: 0, outside: 1 } } });
    // Final once shown.
    await expectRefused(ps[0], [fac, screen], { type: 'control.answer', noteId: doctors, answer: 'outside' }, 'wrong_phase', /final/);
    await expectRefused(fac, [screen, ps[0]], { type: 'control.show' }, 'wrong_phase', /final/);
    for (const x of [fac, screen, ...ps]) x.close();
  });

  it('refuses answers off the top barriers, from the wrong sender, outside Act', async () => {
    const { fac, screen, ps, doctors, records } = await inAct(1);
    const [p] = ps;
    const others = [fac, screen];
    await expectRefused(p, others, { type: 'control.answer', noteId: records, answer: 'control' }, 'bad_request', /top barriers/);
    await expectRefused(p, others, { type: 'control.answer', noteId: 'nothere1', answer: 'control' }, 'not_found');
    await expectRefused(p, others, { type: 'control.answer', noteId: doctors, answer: 'maybe' } as never, 'bad_request', /answer/);
    await expectRefused(p, others, { type: 'control.answer', noteId: 'constructor', answer: 'control' }, 'bad_request', /noteId/);
    await expectRefused(fac, [screen, p], { type: 'control.answer', noteId: doctors, answer: 'control' }, 'forbidden', /Only participants/);
    await expectRefused(screen, [fac, p], { type: 'control.answer', noteId: doctors, answer: 'control' }, 'forbidden');
    await expectRefused(p, others, { type: 'control.show' }, 'forbidden');
    await fac.do({ type: 'phase.set', phase: 'reveal' });
    await expectRefused(p, others, { type: 'control.answer', noteId: doctors, answer: 'control' }, 'wrong_phase', /Act phase/);
    await expectRefused(fac, [screen, p], { type: 'control.show' }, 'wrong_phase', /Act phase/);
    await fac.do({ type: 'phase.set', phase: 'act' });
    await fac.do({ type: 'phase.set', phase: 'closed' });
    await expectRefused(fac, [screen], { type: 'control.show' }, 'closed');
    for (const x of [fac, screen, p]) x.close();
  });
});

describe('the private facts of the hybrid day are stored, and forgotten at closing', () => {
  it('survive a restart; closing deletes every row of them', async () => {
    const first = await startServer();
    const dataDir = first.dataDir;
    const { w, fac, screen, ps, doctors } = await inAct(3, first.url);
    for (const [i, p] of ps.entries()) await p.do({ type: 'proposal.add', text: `Proposal ${i}` });
    await until(() => fac.stats?.act?.proposalsWaiting === 3, 'ready');
    await fac.do({ type: 'proposals.show' });
    await ps[0].do({ type: 'proposal.add', text: 'Still waiting' });
    await ps[0].do({ type: 'control.answer', noteId: doctors, answer: 'influence' });
    await until(() => fac.self?.proposals?.length === 3, 'shown');
    const shownBefore = fac.self!.proposals;
    for (const x of [fac, screen, ...ps]) x.close();
    await first.stop();

    const second = await startServer({ dataDir });
    try {
      const p0 = await TestClient.participant(second.url, w.code, ps[0].token);
      expect(p0.self?.control).toEqual({ [doctors]: 'influence' });
      expect(p0.self?.finished).toEqual(['vote']);
      expect(p0.self?.ownProposals?.map((p) => [p.text, p.state])).toEqual([
        ['Proposal 0', 'shown'],
        ['Still waiting', 'waiting'],
      ]);
      const fac2 = await TestClient.facilitator(second.url, w.code, w.facilitatorKey);
      expect(fac2.self?.proposals).toEqual(shownBefore);
      // The waiting proposal is still one person's: not ready. Counts restart as they are (disclosure.ts).
      expect(fac2.stats?.act).toMatchObject({ proposalsWaiting: 0, answered: 1 });

      await fac2.do({ type: 'phase.set', phase: 'closed' });
      for (const table of ['finished', 'proposals', 'control_answers'])
        expect(second.store.db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get(), table).toBe(0);
      fac2.close();
      p0.close();
    } finally {
      await second.stop();
      removeDir(dataDir);
    }
  });
});
