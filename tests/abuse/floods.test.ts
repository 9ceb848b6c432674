import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../support/client.ts';
import { freePort, ServerProcess } from '../support/process.ts';
import { createWorkshop } from '../support/server.ts';
import { flood as floodOf, near as nearOf, p95, probe, quietParticipant as quietOf, type FloodResult } from './harness.ts';
import { sleep } from '../support/wait.ts';

/**
 * Floods from an attacker's process against the production server, each with its real limits,
 * while a quiet participant keeps working. The quiet participant's acknowledgement p95 is
 * compared with its own figure measured in this run without a flood: a ratio, generous enough
 * for a shared two-core machine, never a fixed number of milliseconds.
 */
let server: ServerProcess;
let quietP95: number;

beforeAll(async () => {
  server = new ServerProcess(await freePort());
  await server.start();
  quietP95 = p95(await probe(await quietParticipant(), 3000));
  console.log(`quiet ack p95 without a flood: ${quietP95.toFixed(1)} ms`);
});
afterAll(async () => {
  await server.stop();
  server.cleanup();
});

const quietParticipant = (code?: string) => quietOf(server, code);
const flood = (kind: string, seconds: number, ...args: string[]) => floodOf(server, kind, seconds, ...args);

/** The quiet participant's p95 during a flood, next to the flood's own summary. */
async function during(kind: string, quiet: TestClient, ...args: string[]): Promise<{ p95: number; result: FloodResult }> {
  const attack = flood(kind, 4.5, ...args);
  await sleep(800); // let the flood build up
  const times = await probe(quiet, 3000);
  const result = await attack;
  const measured = p95(times);
  console.log(
    `${kind} flood: quiet ack p95 ${measured.toFixed(1)} ms (${(measured / quietP95).toFixed(1)}× quiet); ${JSON.stringify(result.counts)}`,
  );
  return { p95: measured, result };
}

/** Near the quiet figure measured at the start: within 10×, or 100 ms more, unless told. */
const near = (measured: number, ratio = 10, plusMs = 100) => nearOf(measured, quietP95, ratio, plusMs);

describe('floods leave a quiet participant working', () => {
  it('20 sockets that never join, flooding `time` and unknown events, are cut off', async () => {
    const quiet = await quietParticipant();
    const { p95: measured, result } = await during('events', quiet);
    near(measured);
    expect(result.counts['cut off']).toBeGreaterThan(0);
    quiet.close();
  });

  it('100 participants flooding notes into the quiet participant’s own room hit the caps', async () => {
    const w = await createWorkshop(server.url, { title: 'Flooded room', silent: false }, '192.0.2.2');
    const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
    await fac.do({ type: 'settings.set', groups: ['NHS', 'Council'] });
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    const quiet = await quietParticipant(w.code);
    const { p95: measured, result } = await during('notes', quiet, w.code);
    // The quiet participant is in the flooded room: it receives, and the server fans out to it,
    // the 2,000 notes the flood is allowed. On this two-core machine (server, this test's own
    // replica and the attacker's process) its p95 measured 58–230 ms against 5–8 ms quiet, so
    // 250 ms over quiet left about 10% headroom over the worst seen: the bound is 80× or 500 ms
    // more, still 25 times under the 13 s it was before the caps and rounds (what it guards).
    near(measured, 80, 500);
    await fac.sync();
    // A person writes at most 50 notes and a workshop holds at most 2000: both are reached (on a
    // busy machine the flood may not get that far in its 4.5 s; then nothing was past a cap).
    if ((result.counts.ok ?? 0) >= 2000) expect(result.counts.limit_reached).toBeGreaterThan(0);
    expect(fac.board().notes.length).toBeLessThanOrEqual(2000);
    expect(result.counts.ok).toBeLessThanOrEqual(2000);
    const page = await fetch(`${server.url}/w/${w.code}`);
    expect((await page.arrayBuffer()).byteLength).toBeLessThan(1_000_000);
    quiet.close();
    fac.close();
  });

  it('4 loops downloading the PNG of a 120-note board: made once off the event loop, then 429', async () => {
    const w = await createWorkshop(server.url, { title: 'Exported', silent: false }, '192.0.2.3');
    const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    const writers = await Promise.all([0, 1, 2, 3].map(() => TestClient.participant(server.url, w.code)));
    for (let i = 0; i < 30; i++)
      await Promise.all(
        writers.map((p, n) => p.do({ type: 'note.add', boneId: 'people', text: `Barrier ${n}-${i} about the way we work together` })),
      );
    // The first download makes the picture (on the render worker); the flood's are served from
    // the cache until the key's allowance is spent.
    const first = await fetch(`${server.url}/api/workshops/${w.code}/export/fishbone.png`, {
      headers: { authorization: `Bearer ${w.facilitatorKey}` },
    });
    expect(first.status).toBe(200);
    const quiet = await quietParticipant();
    const { p95: measured, result } = await during('exports', quiet, w.code, w.facilitatorKey);
    near(measured);
    expect(result.counts['200']).toBeGreaterThan(0);
    expect(result.counts['429']).toBeGreaterThan(0);
    for (const c of [fac, quiet, ...writers]) c.close();
  });
});

describe('HTTP floods from one address get 429 with Retry-After', () => {
  it('creating workshops: 20 at once, then one every 6 s', async () => {
    const { counts } = await flood('create', 2);
    expect(counts['201']).toBeLessThanOrEqual(21);
    expect(counts['429']).toBeGreaterThan(0);
    const res = await fetch(`${server.url}/api/workshops`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.13' },
      body: '{"title":"x"}',
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await res.json()).toMatchObject({ ok: false, code: 'rate_limited' });
    // Another address (through a trusted proxy on loopback) is not held back by this one.
    const other = await fetch(`${server.url}/api/workshops`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9' },
      body: '{"title":"Someone else"}',
    });
    expect(other.status).toBe(201);
  });

  it('guessing join codes: 20 misses, then even a real code waits', async () => {
    const w = await createWorkshop(server.url, { title: 'Guessed' }, '198.51.100.7');
    const { counts } = await flood('guess', 2);
    // 20 at once, then about one a second refills.
    expect(counts['404']).toBeLessThanOrEqual(24);
    expect(counts['429']).toBeGreaterThan(0);
    // A guesser who has spent the allowance cannot look up even a real code (here, with one
    // more burst of misses first, so no second has refilled it).
    const guesser = { 'x-forwarded-for': '198.51.100.66' };
    for (let i = 0; i < 21; i++)
      await fetch(`${server.url}/api/workshops/ZZZZZ${'23456789ABCDEFGHJKMNPQRSTUVWXY'[i]}`, { headers: guesser });
    const held = await fetch(`${server.url}/api/workshops/${w.code}`, { headers: guesser });
    expect(held.status).toBe(429);
    expect(Number(held.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await fetch(`${server.url}/api/workshops/${w.code}`, { headers: { 'x-forwarded-for': '198.51.100.7' } })).status).toBe(200);
  });

  it('one IPv6 /64 is one address: its addresses share one allowance', async () => {
    const create = (from: string) =>
      fetch(`${server.url}/api/workshops`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
        body: '{"title":"v6"}',
      });
    const statuses: number[] = [];
    for (let i = 1; i <= 30; i++) statuses.push((await create(`2001:db8:77:1::${i.toString(16)}`)).status);
    expect(statuses.filter((s) => s === 201).length).toBeLessThanOrEqual(21);
    expect(statuses).toContain(429);
    // Another /64 (another subscriber) has its own.
    expect((await create('2001:db8:77:2::1')).status).toBe(201);
  });

  it('a code guesser behind a venue’s address does not keep that venue’s phones out of the room they are joining', async () => {
    const venue = { 'x-forwarded-for': '198.51.100.80' };
    const w = await createWorkshop(server.url, { title: 'Away-day' }, '198.51.100.81');
    const elsewhere = await createWorkshop(server.url, { title: 'Another day' }, '198.51.100.81');
    // The facilitator's laptop at the venue opens the workshop first.
    expect((await fetch(`${server.url}/api/workshops/${w.code}`, { headers: venue })).status).toBe(200);
    // Someone on the venue's Wi-Fi guesses codes until refused.
    let refused = 0;
    for (let i = 0; i < 30; i++) {
      const res = await fetch(`${server.url}/api/workshops/GUES5${'23456789ABCDEFGHJKMNPQRSTUVWXY'[i]}`, { headers: venue });
      if (res.status === 429) refused++;
    }
    expect(refused).toBeGreaterThan(0);
    // The room's phones still join their workshop, every one.
    const joins = await Promise.all(Array.from({ length: 20 }, () => fetch(`${server.url}/api/workshops/${w.code}`, { headers: venue })));
    expect(joins.map((r) => r.status)).toEqual(Array(20).fill(200));
    // A code that address has not found before is refused like any guess: a 200 would be a hit.
    expect((await fetch(`${server.url}/api/workshops/${elsewhere.code}`, { headers: venue })).status).toBe(429);
  });
});
