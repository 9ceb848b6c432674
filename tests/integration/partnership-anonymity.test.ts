import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { EXPORT_SCHEMA } from '../../shared/export-schema.ts';
import { CHANGE_ANSWERS, type ChangeAnswer } from '../../shared/partnership/series.ts';
import { participantId } from '../../server/workshop/keys.ts';
import { pastReleases, TestClient, until } from '../support/client.ts';
import { getPartnership, partnershipFile, springThenAutumn } from '../support/partnership.ts';
import { newToken } from '../support/server.ts';
import { useTestServer } from '../support/use-server.ts';
import { allText } from '../support/wire.ts';

/**
 * Anonymity across the workshops of a partnership (issue 26, docs/THREAT-MODEL.md "A partnership
 * over time"): the same people coming back are new people to the server; nothing anyone receives,
 * no export and no database row ties a participant of one workshop to one of another; the room's
 * "better / same / worse" answers reach no one but their author until shown, and never as a count
 * of fewer than 3 people; closing forgets them, bytes included.
 */

const clock = { at: Date.parse('2027-01-04T09:00:00Z'), since: Date.now() };
const setDay = (day: number) => Object.assign(clock, { at: day, since: Date.now() });
const server = useTestServer({ now: () => clock.at + (Date.now() - clock.since) });

const idOf = (code: string) => server.store.db.prepare('SELECT id FROM workshops WHERE code = ?').pluck().get(code) as string;

/** Every byte of every database file. */
function databaseBytes(): string {
  const files = readdirSync(server.dataDir).filter((f) => f.startsWith('fishbone.sqlite'));
  return Buffer.concat(files.map((f) => readFileSync(join(server.dataDir, f)))).toString('latin1');
}

/** Every row of every table, with the table it is in. */
function allRows(): Array<{ table: string; row: string; workshopId: string | null }> {
  const tables = server.store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
  return tables.flatMap((table) =>
    (server.store.db.prepare(`SELECT * FROM ${table}`).all() as Array<Record<string, unknown>>).map((r) => ({
      table,
      row: JSON.stringify(r, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('latin1') : v)),
      workshopId: typeof r.workshop_id === 'string' ? r.workshop_id : null,
    })),
  );
}

/** Everything a client received, and its replica, as one text to search. */
const everythingSeenBy = (c: TestClient) => allText(c) + JSON.stringify(c.board()) + JSON.stringify(c.self);

describe('across the workshops of a partnership', () => {
  it('no frame, export or database row links a participant of one workshop to one of the other', async () => {
    // The same four phones come back in September (the same browser tokens, the worst case: the
    // web client even keeps a token per workshop), with one more person.
    const tokens = Array.from({ length: 5 }, () => newToken());
    const s = await springThenAutumn(server.url, setDay, 2027, tokens);
    const [w1, w2] = [idOf(s.w1.code), idOf(s.w2.code)];
    const springIds = tokens.slice(0, 4).map((t) => participantId(w1, t));
    const autumnIds = tokens.map((t) => participantId(w2, t));
    // The same browser is someone new: its id here has nothing in common with its id there.
    for (let i = 0; i < 4; i++) expect(autumnIds[i]).not.toBe(springIds[i]);

    const top = s.last.top;
    for (const [i, p] of s.autumn.entries()) await p.do({ type: 'since.rate', barrierId: top[i % 3].id, answer: CHANGE_ANSWERS[i % 3] });
    await s.f2.do({ type: 'since.status', actionId: s.last.actions[0].id, status: 'done' });
    for (const c of [s.f2, s.screen, ...s.autumn]) await c.sync();

    const secrets = [...tokens, ...springIds, ...autumnIds];
    // Frames: no client of either workshop ever received a token or a participant id (its own included).
    for (const c of [s.f1, ...s.spring, s.f2, s.screen, ...s.autumn]) {
      const seen = everythingSeenBy(c);
      for (const secret of secrets) expect(seen).not.toContain(secret);
    }
    // Database rows: spring's people are forgotten (it closed); autumn's appear only in autumn's
    // own private rows, never in a partnership's; no token is stored anywhere.
    for (const r of allRows()) {
      for (const t of tokens) expect(r.row).not.toContain(t);
      for (const id of springIds) expect(r.row).not.toContain(id);
      for (const id of autumnIds) if (r.row.includes(id)) expect([r.table, r.workshopId]).toEqual([r.table, w2]);
      if (r.table.startsWith('partnership')) for (const id of [...springIds, ...autumnIds]) expect(r.row).not.toContain(id);
    }
    const bytes = databaseBytes();
    for (const id of springIds) expect(bytes).not.toContain(id);
    // Exports and the API: no participant, no token, no workshop's internal id (the salt of its participants' ids).
    const files = [
      JSON.stringify(await getPartnership(server.url, s.p)),
      ...(await Promise.all(
        ['partnership.json', 'rankings.csv', 'trend.svg'].map(async (f) => (await partnershipFile(server.url, s.p, f)).text()),
      )),
      ...(await Promise.all(
        [
          [s.w1.code, s.w1.facilitatorKey],
          [s.w2.code, s.w2.facilitatorKey],
        ].flatMap(([code, key]) =>
          ['workshop.json', 'ranking.csv', 'report.md'].map(async (f) =>
            (await fetch(`${server.url}/api/workshops/${code}/export/${f}`, { headers: { authorization: `Bearer ${key}` } })).text(),
          ),
        ),
      )),
    ];
    for (const f of files) for (const secret of [...secrets, w1, w2]) expect(f).not.toContain(secret);
    s.close();
  });

  it('a better / same / worse count of fewer than 3 people is never shown, on any screen or in any file', async () => {
    const s = await springThenAutumn(server.url, setDay, 2028);
    const [comms, it, funding] = s.last.top;
    const everyone = [s.f2, s.screen, ...s.autumn];
    const answer = (i: number, barrierId: string, a: ChangeAnswer) => s.autumn[i].do({ type: 'since.rate', barrierId, answer: a });

    // One, then two people: nobody sees even how many have answered (the count waits for a third:
    // server/workshop/disclosure.ts); showing is refused and changes nothing.
    await answer(0, comms.id, 'worse');
    await pastReleases(everyone);
    expect(s.screen.stats?.since?.answered).toBe(0);
    let refused = await s.f2.send({ type: 'since.show' });
    expect(refused).toMatchObject({ ok: false, code: 'too_few' });
    await answer(1, it.id, 'better');
    await pastReleases(everyone);
    expect(s.screen.stats?.since?.answered).toBe(0);
    const before = everyone.map((c) => Y.encodeStateAsUpdate(c.doc));
    refused = await s.f2.send({ type: 'since.show' });
    expect(refused).toMatchObject({ ok: false, code: 'too_few' });
    for (const c of everyone) await c.sync();
    everyone.forEach((c, i) => expect(Y.encodeStateAsUpdate(c.doc)).toEqual(before[i]));
    // Each phone's own view holds its own answer only.
    expect(s.autumn[0].self?.since).toEqual({ [comms.id]: 'worse' });
    expect(s.autumn[1].self?.since).toEqual({ [it.id]: 'better' });
    expect(s.autumn[2].self?.since).toBeUndefined();

    // A third person answers about another barrier: three people in all, but no barrier has three.
    await answer(2, funding.id, 'same');
    await until(() => s.screen.stats?.since?.answered === 3, 'three answered');
    await s.f2.do({ type: 'since.show' });
    for (const c of everyone) await until(() => c.board().since?.ratings !== null, 'the counts everywhere');
    expect(s.screen.board().since?.ratings).toEqual({ answered: 3, barriers: { [comms.id]: null, [it.id]: null, [funding.id]: null } });

    // Nothing anyone received ever carried a count: only the shown map, whose counts are all null,
    // and the phones' own answers.
    for (const c of everyone) {
      const counts = c.received
        .filter((r) => r.event === 'stats')
        .map((r) => (r.args[0] as { since?: unknown }).since)
        .filter(Boolean);
      for (const x of counts) expect(Object.keys(x as object).sort()).toEqual(['answered', 'of']);
    }
    // The files say the same: no counts.
    const json = (await (
      await fetch(`${server.url}/api/workshops/${s.w2.code}/export/workshop.json`, {
        headers: { authorization: `Bearer ${s.w2.facilitatorKey}` },
      })
    ).json()) as { since: { ratings: { barriers: Record<string, unknown> } } };
    expect(Object.values(json.since.ratings.barriers)).toEqual([null, null, null]);
    const view = await getPartnership(server.url, s.p);
    expect(Object.values(view.workshops[1].since!.ratings!.barriers)).toEqual([null, null, null]);
    s.close();
  });

  it('an import cannot bring in a count of fewer than 3 people', async () => {
    const s = await springThenAutumn(server.url, setDay, 2029);
    const exp = (await (await partnershipFile(server.url, s.p, 'partnership.json')).json()) as {
      workshops: Array<{ since: unknown }>;
    };
    const forged = structuredClone(exp);
    forged.workshops[0].since = {
      statuses: {},
      matches: {},
      ratings: { answered: 3, barriers: { [s.last.top[0].id]: { better: 1, same: 1, worse: 0 } } },
    };
    const res = await fetch(`${server.url}/api/partnerships/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(forged),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/fewer than 3 people are never kept/);

    const workshop = (await (
      await fetch(`${server.url}/api/workshops/${s.w2.code}/export/workshop.json`, {
        headers: { authorization: `Bearer ${s.w2.facilitatorKey}` },
      })
    ).json()) as Record<string, unknown> & { since: { ratings: unknown } };
    expect(workshop.schema).toBe(EXPORT_SCHEMA);
    workshop.since.ratings = { answered: 2, barriers: {} };
    const again = await fetch(`${server.url}/api/workshops/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(workshop),
    });
    expect(again.status).toBe(400);
    s.close();
  });

  it('closing forgets every "since last time" answer: no row, no byte', async () => {
    const s = await springThenAutumn(server.url, setDay, 2030);
    const w2 = idOf(s.w2.code);
    for (const [i, p] of s.autumn.entries())
      await p.do({ type: 'since.rate', barrierId: s.last.top[i % 3].id, answer: CHANGE_ANSWERS[i % 3] });
    const ids = s.autumn.map((p) => participantId(w2, p.token!));
    const rows = () => server.store.db.prepare('SELECT COUNT(*) FROM since_answers WHERE workshop_id = ?').pluck().get(w2);
    expect(rows()).toBe(5);
    // Shown or not, the answers go at closing: here they were never shown.
    await s.f2.do({ type: 'phase.set', phase: 'closed' });
    expect(rows()).toBe(0);
    const bytes = databaseBytes();
    for (const id of ids) expect(bytes).not.toContain(id);
    for (const p of s.autumn) await until(() => p.self?.since === undefined, 'the own view forgets too');
    // The partnership keeps only what the room could see.
    const kept = (await getPartnership(server.url, s.p)).workshops[1];
    expect(kept).toMatchObject({ title: 'Autumn away-day', phase: 'closed', participants: 5, since: { ratings: null } });
    s.close();
  });
});
