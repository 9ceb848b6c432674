import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { barrierMoves, boneMoves } from '../../shared/partnership/moved.ts';
import { pastReleases, TestClient, until } from '../support/client.ts';
import { createPartnership, getPartnership, partnershipFile, room, runToAct, startIn } from '../support/partnership.ts';
import { createWorkshop } from '../support/server.ts';
import { sweepClosed } from '../../server/workshop/retention.ts';
import { WORKSHOPS_PER_PARTNERSHIP } from '../../shared/partnership/series.ts';
import { useTestServer } from '../support/use-server.ts';
import { expectRefused } from '../support/refused.ts';

/**
 * A partnership over time (issue 26), on the server: two workshops of one partnership months
 * apart, the second starting from the first's actions and top barriers; the room's "since last
 * time" answers kept private until shown, and shown only as counts of 3 or more people; the
 * facilitator's statuses, carried actions and matches; what the partnership's API then says.
 */

const MARCH = Date.parse('2027-03-10T10:00:00Z');
const SEPTEMBER = Date.parse('2027-09-15T10:00:00Z');
/** The server's clock, set by the test: real time flows, from the day the test says (never backwards). */
const clock = { at: Date.parse('2026-01-05T09:00:00Z'), since: Date.now() };
const setDay = (day: number) => Object.assign(clock, { at: day, since: Date.now() });
const server = useTestServer({ now: () => clock.at + (Date.now() - clock.since) });

/** The March workshop: three barriers make its top 3 (one a common pick), three actions. */
async function march(p: { id: string; key: string }, day = MARCH) {
  setDay(day);
  const w1 = await startIn(server.url, p, 'Spring away-day');
  const { fac, people } = await room(server.url, w1, 4);
  await fac.do({ type: 'settings.set', topN: 3 });
  const ids = await runToAct(
    server.url,
    fac,
    people,
    [
      { boneId: 'processes', pick: 'processes-5', dots: [2, 2, 1, 1] },
      { boneId: 'resources', text: 'No shared IT systems', dots: [1, 1, 1, 1] },
      { boneId: 'resources', pick: 'money-1', dots: [1, 1, 0, 1] },
      { boneId: 'people', text: 'Managers do not listen', dots: [1, 0, 1, 0] },
    ],
    [
      { what: 'Set up a joint communications group', who: 'Locality manager', when: 'May', on: 0 },
      { what: 'Agree a data-sharing protocol', who: 'IG leads', when: 'June', on: 1 },
      { what: 'Hold a joint budget meeting', who: 'Finance', when: 'July', on: 2 },
    ],
  );
  return { w1, fac, people, ids };
}

describe('a partnership', () => {
  it('is made with a title, answers with its id and key, and is read only with that key', async () => {
    const res = await fetch(`${server.url}/api/partnerships`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'North Locality Health and Care Partnership' }),
    });
    expect(res.status).toBe(201);
    const p = (await res.json()) as { id: string; key: string; url: string };
    expect(p.id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(p.key).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(p.url).toBe(`${server.url}/p/${p.id}#key=${p.key}`);

    const view = await getPartnership(server.url, p);
    expect(view).toMatchObject({ id: p.id, title: 'North Locality Health and Care Partnership', role: 'owner', workshops: [], links: [] });

    const get = (key?: string, id = p.id) =>
      fetch(`${server.url}/api/partnerships/${id}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
    expect((await get()).status).toBe(401);
    const wrong = await get('not-the-key-at-all-000000000000');
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toMatchObject({ ok: false, code: 'forbidden', message: 'That key is not valid for this partnership.' });
    expect((await get(p.key, 'AAAAAAAAAAAAAAAA')).status).toBe(404);
    expect(await (await get(p.key, 'AAAAAAAAAAAAAAAA')).json()).toMatchObject({ code: 'unknown_partnership' });
  });

  it('refuses a bad title or body clearly, and makes nothing', async () => {
    for (const body of [{}, { title: '' }, { title: 'x'.repeat(121) }, { title: 'Ok', extra: 1 }, { title: 'bad\u0000' }]) {
      const res = await fetch(`${server.url}/api/partnerships`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(/^That request was not understood: /);
    }
  });

  it('starts a workshop only with its own key', async () => {
    const p = await createPartnership(server.url);
    const start = (partnership: object) =>
      fetch(`${server.url}/api/workshops`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Away-day', partnership }),
      });
    expect((await start({ id: p.id, key: 'wrong-key-wrong-key-wrong-key' })).status).toBe(403);
    expect((await start({ id: 'AAAAAAAAAAAAAAAA', key: p.key })).status).toBe(404);
    expect((await start({ id: p.id })).status).toBe(400);
    expect((await getPartnership(server.url, p)).workshops).toEqual([]);
    expect((await start({ id: p.id, key: p.key })).status).toBe(201);
    expect((await getPartnership(server.url, p)).workshops).toHaveLength(1);
  });

  it('gives co-facilitator links that open it and start workshops, and the owner revokes them', async () => {
    const p = await createPartnership(server.url);
    const made = await fetch(`${server.url}/api/partnerships/${p.id}/links`, {
      method: 'POST',
      headers: { authorization: `Bearer ${p.key}` },
    });
    expect(made.status).toBe(201);
    const { link } = (await made.json()) as { link: { id: string; key: string } };
    const co = { id: p.id, key: link.key };
    expect((await getPartnership(server.url, co)).role).toBe('co');
    expect((await getPartnership(server.url, co)).links).toBeUndefined();
    expect((await getPartnership(server.url, p)).links).toEqual([{ id: link.id, createdAt: expect.any(Number) }]);
    await startIn(server.url, co, 'Started by a co-facilitator');
    // A co-facilitator cannot make links, revoke them or delete the partnership.
    expect(
      (await fetch(`${server.url}/api/partnerships/${p.id}/links`, { method: 'POST', headers: { authorization: `Bearer ${link.key}` } }))
        .status,
    ).toBe(403);
    expect(
      (await fetch(`${server.url}/api/partnerships/${p.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${link.key}` } }))
        .status,
    ).toBe(403);
    const revoked = await fetch(`${server.url}/api/partnerships/${p.id}/links/${link.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${p.key}` },
    });
    expect(revoked.status).toBe(200);
    expect((await fetch(`${server.url}/api/partnerships/${p.id}`, { headers: { authorization: `Bearer ${link.key}` } })).status).toBe(403);
  });

  it('takes in a workshop run before it, which then starts from the partnership’s earlier workshops', async () => {
    const p = await createPartnership(server.url);
    const { fac: f1 } = await march(p, Date.parse('2026-04-01T10:00:00Z'));
    await f1.do({ type: 'phase.set', phase: 'closed' });
    setDay(Date.parse('2026-10-01T10:00:00Z'));
    const loose = await createWorkshop(server.url, { title: 'Run on its own', silent: false });
    const fac = await TestClient.facilitator(server.url, loose.code, loose.facilitatorKey);
    expect(fac.board().since).toBeNull();
    const join = (key: string, body: object) =>
      fetch(`${server.url}/api/workshops/${loose.code}/partnership`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await join(loose.facilitatorKey, { id: p.id, key: 'wrong-key-wrong-key-wrong' })).status).toBe(403);
    expect((await join('wrong-workshop-key-0000000000', { id: p.id, key: p.key })).status).toBe(403);
    expect((await join(loose.facilitatorKey, { id: p.id, key: p.key })).status).toBe(200);
    await until(() => fac.board().since !== null, 'the series in the document');
    expect(fac.board().since?.series.last?.title).toBe('Spring away-day');
    expect(fac.board().since?.series.last?.top.map((b) => b.text)).toEqual([
      'Poor communication',
      'No shared IT systems',
      'Different funding cycles',
    ]);
    // Once in a partnership, always in that one.
    const again = await join(loose.facilitatorKey, { id: p.id, key: p.key });
    expect(again.status).toBe(400);
    expect(((await again.json()) as { message: string }).message).toMatch(/in a partnership already/);
    expect((await getPartnership(server.url, p)).workshops.map((w) => w.title)).toEqual(['Spring away-day', 'Run on its own']);
  });
});

describe('the next workshop starts from the last one', () => {
  it('shows last time’s top barriers and actions; the room rates them; statuses, carrying and matching; what moved', async () => {
    const p = await createPartnership(server.url);
    const { w1, fac: f1 } = await march(p);
    await f1.do({ type: 'phase.set', phase: 'closed' });
    const first = (await getPartnership(server.url, p)).workshops[0];
    expect(first).toMatchObject({
      title: 'Spring away-day',
      code: w1.code,
      date: expect.stringMatching(/^2027-03-10T10:00/),
      phase: 'closed',
      participants: 4,
      voters: 4,
      revealed: true,
    });
    expect(first.topBarriers.map((b) => [b.rank, b.text, b.bone, b.dots])).toEqual([
      [1, 'Poor communication', 'Processes', 6],
      [2, 'No shared IT systems', 'Resources', 4],
      [3, 'Different funding cycles', 'Resources', 3],
    ]);
    expect(first.boneWeights.map((b) => [b.label, Math.round(b.share * 100)])).toEqual([
      ['People', 13],
      ['Structures', 0],
      ['Processes', 40],
      ['Resources', 47],
      ['Environment and culture', 0],
    ]);
    expect(first.actions.map((a) => [a.what, a.barrier, a.status])).toEqual([
      ['Set up a joint communications group', 'Poor communication', null],
      ['Agree a data-sharing protocol', 'No shared IT systems', null],
      ['Hold a joint budget meeting', 'Different funding cycles', null],
    ]);

    // Six months on.
    setDay(SEPTEMBER);
    const w2 = await startIn(server.url, p, 'Autumn away-day');
    const { fac, people } = await room(server.url, w2, 5);
    await fac.do({ type: 'settings.set', topN: 3 });
    const screen = await TestClient.screen(server.url, w2.code);
    const since = fac.board().since!;
    expect(since.series.title).toBe('North Locality Health and Care Partnership');
    expect(since.series.last).toMatchObject({ title: 'Spring away-day', date: expect.stringMatching(/^2027-03-10T10:00/), topN: 3 });
    const [comms, it, funding] = since.series.last!.top;
    const [commsAction, dataAction, budgetAction] = since.series.last!.actions;
    expect(screen.board().since?.series.last?.actions.map((a) => a.what)).toEqual([
      'Set up a joint communications group',
      'Agree a data-sharing protocol',
      'Hold a joint budget meeting',
    ]);

    // The room answers from phones: each answer private, only "how many have answered" is seen.
    await until(() => screen.stats?.since?.of === 5, 'five who could answer');
    expect(screen.stats?.since).toEqual({ answered: 0, of: 5 });
    await people[0].do({ type: 'since.rate', barrierId: comms.id, answer: 'better' });
    await people[0].do({ type: 'since.rate', barrierId: it.id, answer: 'worse' });
    await people[1].do({ type: 'since.rate', barrierId: comms.id, answer: 'better' });
    await people[1].do({ type: 'since.rate', barrierId: it.id, answer: 'worse' });
    // Two people: the count the room sees waits for a third (server/workshop/disclosure.ts).
    await pastReleases([screen]);
    expect(screen.stats?.since?.answered).toBe(0);
    expect(people[0].self?.since).toEqual({ [comms.id]: 'better', [it.id]: 'worse' });
    expect(people[2].self?.since).toBeUndefined();
    expect(fac.self?.since).toBeUndefined();
    // Two people are too few to show anything.
    const tooFew = await expectRefused(fac, [screen, people[2]], { type: 'since.show' }, 'too_few');
    expect(tooFew.ok ? '' : tooFew.message).toMatch(/2 people have answered so far.*at least 3/);
    // An answer about something that was not last time's top barrier, and from a facilitator: refused.
    await expectRefused(
      people[2],
      [screen],
      { type: 'since.rate', barrierId: first.ranking[3]?.id ?? 'nope', answer: 'same' },
      'bad_request',
    );
    await expectRefused(fac, [screen], { type: 'since.rate', barrierId: comms.id, answer: 'same' }, 'forbidden');
    await people[2].do({ type: 'since.rate', barrierId: comms.id, answer: 'same' });
    await people[3].do({ type: 'since.rate', barrierId: funding.id, answer: 'worse' });
    await people[3].do({ type: 'since.rate', barrierId: funding.id, answer: null });
    await until(() => screen.stats?.since?.answered === 3, 'three answered');
    expect(screen.board().since?.ratings).toBeNull();
    await fac.do({ type: 'since.show' });
    await until(() => screen.board().since?.ratings !== null, 'the counts');
    expect(screen.board().since?.ratings).toEqual({
      answered: 3,
      // Two people answered about IT and nobody about funding: no counts for either.
      barriers: { [comms.id]: { better: 2, same: 1, worse: 0 }, [it.id]: null, [funding.id]: null },
    });
    await until(() => screen.stats?.since === null, 'answering closed');
    await expectRefused(people[4], [screen], { type: 'since.rate', barrierId: comms.id, answer: 'worse' }, 'wrong_phase');
    await expectRefused(fac, [screen], { type: 'since.show' }, 'wrong_phase');

    // The facilitator says what became of each action, and carries the unfinished on.
    await fac.do({ type: 'since.status', actionId: commsAction.id, status: 'done' });
    await fac.do({ type: 'since.status', actionId: dataAction.id, status: 'progress' });
    await fac.do({ type: 'since.status', actionId: budgetAction.id, status: 'stalled' });
    await expectRefused(fac, [screen], { type: 'since.carry', actionId: commsAction.id }, 'bad_request');
    const { actionId: carried } = await fac.do({ type: 'since.carry', actionId: dataAction.id });
    await expectRefused(fac, [screen], { type: 'since.carry', actionId: dataAction.id }, 'bad_request');
    await expectRefused(fac, [screen], { type: 'since.status', actionId: 'not-an-action', status: 'done' }, 'not_found');
    await expectRefused(people[0], [screen], { type: 'since.status', actionId: budgetAction.id, status: 'done' }, 'forbidden');
    await until(() => screen.board().actions.length === 1, 'the carried action');
    expect(screen.board().actions[0]).toMatchObject({ id: carried, what: 'Agree a data-sharing protocol', who: 'IG leads', when: 'June' });
    expect(screen.board().since?.statuses).toEqual({ [commsAction.id]: 'done', [dataAction.id]: 'progress', [budgetAction.id]: 'stalled' });
    expect(screen.board().since?.carried).toEqual({ [carried!]: dataAction.id });

    // The autumn's barriers: communication again (the same pick), IT in other words, one new.
    const ids = await runToAct(
      server.url,
      fac,
      people,
      [
        { boneId: 'processes', pick: 'processes-5', dots: [1, 1, 1, 0, 1] },
        { boneId: 'resources', text: 'No shared IT system', dots: [1, 1, 1, 1, 1] },
        { boneId: 'people', text: 'Staff turnover in care homes', dots: [3, 3, 2, 2, 1] },
        { boneId: 'structures', text: 'Partnership fatigue', dots: [0, 0, 1, 1, 0] },
      ],
      [{ what: 'Recruitment drive with care homes', who: 'Workforce lead', when: 'December', on: 2 }],
    );
    await fac.do({ type: 'since.match', barrierId: it.id, noteId: ids[1] });
    await expectRefused(fac, [screen], { type: 'since.match', barrierId: 'not-a-barrier', noteId: ids[1] }, 'bad_request');
    await expectRefused(fac, [screen], { type: 'since.match', barrierId: funding.id, noteId: 'no-such-note' }, 'not_found');

    const view = await getPartnership(server.url, p);
    expect(view.workshops.map((w) => [w.title, w.date])).toEqual([
      ['Spring away-day', expect.stringMatching(/^2027-03-10T10:00/)],
      ['Autumn away-day', expect.stringMatching(/^2027-09-15T10:00/)],
    ]);
    const [spring, autumn] = view.workshops;
    expect(spring.actions.map((a) => [a.what, a.status])).toEqual([
      ['Set up a joint communications group', 'done'],
      ['Agree a data-sharing protocol', 'progress'],
      ['Hold a joint budget meeting', 'stalled'],
    ]);
    expect(autumn.actions.map((a) => [a.what, a.root === dataAction.id])).toEqual([
      ['Agree a data-sharing protocol', true],
      ['Recruitment drive with care homes', false],
    ]);
    expect(autumn.topBarriers.map((b) => b.text)).toEqual(['Staff turnover in care homes', 'No shared IT system', 'Poor communication']);
    expect(autumn.since?.ratings?.barriers[comms.id]).toEqual({ better: 2, same: 1, worse: 0 });
    expect(view.actions.find((a) => a.root === dataAction.id)).toMatchObject({
      what: 'Agree a data-sharing protocol',
      agreed: { title: 'Spring away-day' },
      steps: [{ title: 'Autumn away-day', status: 'progress', carried: true }],
      status: 'progress',
    });

    // What moved, as every screen computes it from the document.
    const board = screen.board();
    const moves = boneMoves(autumn.boneWeights, board.since!.series.earlier);
    expect(moves.find((m) => m.label === 'Processes')).toMatchObject({ then: [{ title: 'Spring away-day', share: 0.4 }] });
    const ranked = autumn.ranking;
    const moved = barrierMoves(board.since!.series.last!.top, ranked, 3, board.since!.matches);
    expect(moved.persist.map((x) => [x.then.text, x.now.text, x.by])).toEqual([
      ['Poor communication', 'Poor communication', 'pick'],
      ['No shared IT systems', 'No shared IT system', 'match'],
    ]);
    expect(moved.fresh.map((x) => x.text)).toEqual(['Staff turnover in care homes']);
    expect(moved.gone.map((x) => [x.then.text, x.now])).toEqual([['Different funding cycles', null]]);

    // Every workshop's ranking in one CSV.
    const csv = await partnershipFile(server.url, p, 'rankings.csv');
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const rows = parse((await csv.text()).replace(/^\uFEFF/, ''), { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => [r.Workshop, r.Rank, r.Barrier, r.Dots])).toEqual([
      ['Spring away-day', '1', 'Poor communication', '6'],
      ['Spring away-day', '2', 'No shared IT systems', '4'],
      ['Spring away-day', '3', 'Different funding cycles', '3'],
      ['Spring away-day', '4', 'Managers do not listen', '2'],
      ['Autumn away-day', '1', 'Staff turnover in care homes', '11'],
      ['Autumn away-day', '2', 'No shared IT system', '5'],
      ['Autumn away-day', '3', 'Poor communication', '4'],
      ['Autumn away-day', '4', 'Partnership fatigue', '2'],
    ]);
    expect(rows[0].Date).toBe('10 March 2027');
  });
});

describe('a partnership keeps its history', () => {
  it('past a retention sweep of its closed workshops; a workshop its facilitator deletes leaves it', async () => {
    const p = await createPartnership(server.url);
    const { w1, fac } = await march(p, Date.parse('2028-03-10T10:00:00Z'));
    await fac.do({ type: 'phase.set', phase: 'closed' });
    setDay(Date.parse('2028-09-15T10:00:00Z'));
    const w2 = await startIn(server.url, p, 'Autumn away-day');
    // A year later the sweep deletes the closed spring workshop: the partnership still has its outcome.
    setDay(Date.parse('2029-04-01T10:00:00Z'));
    expect(await sweepClosed(server.store, server.app.registry, 365, Date.parse('2029-04-01T10:00:00Z'))).toBeGreaterThan(0);
    expect((await fetch(`${server.url}/api/workshops/${w1.code}`)).status).toBe(404);
    let view = await getPartnership(server.url, p);
    expect(view.workshops.map((w) => [w.title, w.code])).toEqual([
      ['Spring away-day', null],
      ['Autumn away-day', w2.code],
    ]);
    expect(view.workshops[0].topBarriers.map((b) => b.text)).toEqual([
      'Poor communication',
      'No shared IT systems',
      'Different funding cycles',
    ]);
    // The next workshop still starts from it.
    const w3 = await startIn(server.url, p, 'Spring again');
    const f3 = await TestClient.facilitator(server.url, w3.code, w3.facilitatorKey);
    expect(f3.board().since?.series.last?.title).toBe('Spring away-day');
    // Deleting is every trace: the partnership forgets a deleted workshop.
    const del = await fetch(`${server.url}/api/workshops/${w2.code}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${w2.facilitatorKey}` },
    });
    expect(del.status).toBe(200);
    view = await getPartnership(server.url, p);
    expect(view.workshops.map((w) => w.title)).toEqual(['Spring away-day', 'Spring again']);
  });

  it('moves to another server: a workshop’s export keeps what it said of last time, and it may join a partnership there', async () => {
    const p = await createPartnership(server.url);
    const { fac } = await march(p, Date.parse('2030-03-10T10:00:00Z'));
    await fac.do({ type: 'phase.set', phase: 'closed' });
    setDay(Date.parse('2030-09-15T10:00:00Z'));
    const w2 = await startIn(server.url, p, 'Autumn away-day');
    const f2 = await TestClient.facilitator(server.url, w2.code, w2.facilitatorKey);
    await f2.do({ type: 'since.status', actionId: f2.board().since!.series.last!.actions[0].id, status: 'done' });
    const exported = await (
      await fetch(`${server.url}/api/workshops/${w2.code}/export/workshop.json`, {
        headers: { authorization: `Bearer ${w2.facilitatorKey}` },
      })
    ).json();
    expect(exported).toMatchObject({ version: 4, since: { series: { last: { title: 'Spring away-day' } } } });
    const imported = await fetch(`${server.url}/api/workshops/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(exported),
    });
    expect(imported.status).toBe(201);
    const copy = (await imported.json()) as { code: string; facilitatorKey: string };
    const fc = await TestClient.facilitator(server.url, copy.code, copy.facilitatorKey);
    expect(fc.board().since).toEqual(f2.board().since);
    // The copy joins a partnership of its own here, keeping the series it brought.
    const other = await createPartnership(server.url, 'Moved partnership');
    const joined = await fetch(`${server.url}/api/workshops/${copy.code}/partnership`, {
      method: 'POST',
      headers: { authorization: `Bearer ${copy.facilitatorKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: other.id, key: other.key }),
    });
    expect(joined.status).toBe(200);
    await fc.sync();
    expect(fc.board().since?.series.last?.title).toBe('Spring away-day');
    const view = await getPartnership(server.url, other);
    expect(view.workshops.map((w) => w.title)).toEqual(['Autumn away-day']);
    expect(Object.values(view.workshops[0].since!.statuses)).toEqual(['done']);
  });

  it(`holds at most ${WORKSHOPS_PER_PARTNERSHIP} workshops`, async () => {
    const p = await createPartnership(server.url);
    for (let i = 0; i < WORKSHOPS_PER_PARTNERSHIP; i++) await startIn(server.url, p, `Workshop ${i + 1}`);
    const over = await fetch(`${server.url}/api/workshops`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'One too many', partnership: { id: p.id, key: p.key } }),
    });
    expect(over.status).toBe(400);
    expect(await over.json()).toMatchObject({ code: 'limit_reached' });
    expect((await getPartnership(server.url, p)).workshops).toHaveLength(WORKSHOPS_PER_PARTNERSHIP);
  });

  it('refuses a bad body to add a workshop, clearly, changing nothing', async () => {
    const p = await createPartnership(server.url);
    const w = await createWorkshop(server.url, { title: 'Loose' });
    for (const body of [{}, { id: p.id }, { id: '__proto__', key: p.key }, { id: p.id, key: p.key, extra: true }, 'not json']) {
      const res = await fetch(`${server.url}/api/workshops/${w.code}/partnership`, {
        method: 'POST',
        headers: { authorization: `Bearer ${w.facilitatorKey}`, 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(/^That request was not understood/);
    }
    expect((await getPartnership(server.url, p)).workshops).toEqual([]);
  });
});
