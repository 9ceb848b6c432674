import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDRESS_LIMITS, MAX_SOCKETS_PER_ADDRESS } from '../../server/guard/address-limits.ts';
import type { JoinRequest } from '../../shared/commands.ts';
import { TestClient } from '../support/client.ts';
import { sleep } from '../support/wait.ts';
import {
  connectSocket,
  createWorkshop,
  join,
  newToken,
  removeDir,
  startServer,
  type ClientSocket,
  type TestServer,
} from '../support/server.ts';

/**
 * The per-address allowances of server/guard/address-limits.ts that no flood test reaches: each
 * one spent to its edge from one address (a trusted proxy on loopback names it), refused past
 * it with a wait, and never holding back another address. The figures come from ADDRESS_LIMITS,
 * so a change there is tested as it is.
 */
const { import: IMPORT, connect: CONNECT, unknownCode: UNKNOWN } = ADDRESS_LIMITS;

/** A socket from `from`: resolves connected or refused (connect_error), never hangs. */
function open(url: string, from: string): Promise<ClientSocket | null> {
  const s = connectSocket(url, from);
  return new Promise((resolve) => {
    s.once('connect', () => resolve(s));
    s.once('connect_error', () => {
      s.close();
      resolve(null);
    });
  });
}

/** Open `n` sockets from `from`, `batch` at a time; the connected ones and how many were refused. */
async function openMany(url: string, from: string, n: number, batch = 100): Promise<{ open: ClientSocket[]; refused: number }> {
  const out: ClientSocket[] = [];
  let refused = 0;
  for (let i = 0; i < n; i += batch) {
    for (const s of await Promise.all(Array.from({ length: Math.min(batch, n - i) }, () => open(url, from))))
      if (s) out.push(s);
      else refused++;
  }
  return { open: out, refused };
}

describe('with the real per-address limits', () => {
  let server: TestServer;
  // Sockets that never join stay open for the whole test (the join timeout is the caps test's).
  beforeAll(async () => {
    server = await startServer({ realLimits: true, joinTimeoutMs: 120_000 });
  });
  afterAll(async () => {
    await server.stop();
    removeDir(server.dataDir);
  });

  it(`imports: ${IMPORT.burst} at once, then one every ${1 / IMPORT.perSecond} s; another address is not held back`, async () => {
    const w = await createWorkshop(server.url, { title: 'To copy' }, '203.0.113.40');
    const json = await (
      await fetch(`${server.url}/api/workshops/${w.code}/export/workshop.json`, {
        headers: { authorization: `Bearer ${w.facilitatorKey}` },
      })
    ).text();
    const post = (from: string) =>
      fetch(`${server.url}/api/workshops/import`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
        body: json,
      });
    const statuses: number[] = [];
    for (let i = 0; i < IMPORT.burst + 3; i++) statuses.push((await post('203.0.113.41')).status);
    // The whole burst, and nothing more: the next token is 30 s away.
    expect(statuses).toEqual([...Array(IMPORT.burst).fill(201), 429, 429, 429]);
    const refused = await post('203.0.113.41');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(1);
    expect(await refused.json()).toMatchObject({ ok: false, code: 'rate_limited' });
    expect((await post('203.0.113.42')).status).toBe(201);
  });

  it(`connections: ${CONNECT.burst} at once, then ${CONNECT.perSecond} a second; another address is not held back`, async () => {
    const from = '203.0.113.50';
    const started = performance.now();
    // More than the burst and whatever refills while they open.
    const { open: sockets, refused } = await openMany(server.url, from, CONNECT.burst + 300);
    const seconds = (performance.now() - started) / 1000;
    try {
      console.log(`${sockets.length} connected, ${refused} refused, in ${seconds.toFixed(1)} s`);
      expect(sockets.length).toBeGreaterThanOrEqual(CONNECT.burst);
      // The burst plus the refill over the time it took (and one token of rounding).
      expect(sockets.length).toBeLessThanOrEqual(CONNECT.burst + Math.ceil(CONNECT.perSecond * seconds) + 1);
      expect(refused).toBeGreaterThan(0);
      // Spent now: refused at once, again within the second after it refills.
      expect((await openMany(server.url, from, 5)).refused).toBeGreaterThan(0);
      await sleep(1000);
      const later = await openMany(server.url, from, 1);
      expect(later.open).toHaveLength(1);
      later.open[0].close();
      const other = await open(server.url, '203.0.113.51');
      expect(other).not.toBeNull();
      other!.close();
    } finally {
      for (const s of sockets) s.close();
    }
  });

  it(`unknown codes on socket joins: ${UNKNOWN.burst} misses, then even a real code waits; a code found before still joins`, async () => {
    const from = '203.0.113.60';
    const w = await createWorkshop(server.url, { title: 'Guessed by socket' }, '203.0.113.61');
    const other = await createWorkshop(server.url, { title: 'Not yet found here' }, '203.0.113.61');
    const joinFrom = async (code: string) => {
      const s = connectSocket(server.url, from);
      const res = await join(s, { as: 'participant', code, token: newToken() } as JoinRequest);
      s.close();
      return res;
    };
    // The room's projector found its workshop first.
    expect(await joinFrom(w.code)).toMatchObject({ ok: true });
    // Each socket has its own join allowance (10): a guesser opens more of them.
    const misses: string[] = [];
    for (let i = 0; i < UNKNOWN.burst + 3; i++) {
      const res = await joinFrom(`ZZZZ${'23456789ABCDEFGHJKMNPQRSTUVWXYZ'.slice(i, i + 2)}`);
      misses.push(res.ok ? 'ok' : res.code);
    }
    // About one a second refills while they run: at most a couple more misses than the burst.
    expect(misses.slice(0, UNKNOWN.burst)).toEqual(Array(UNKNOWN.burst).fill('unknown_workshop'));
    expect(misses.filter((c) => c === 'unknown_workshop').length).toBeLessThanOrEqual(UNKNOWN.burst + 2);
    expect(misses.at(-1)).toBe('rate_limited');
    // A real code it has not found before is refused like a guess (a hit must not tell itself
    // apart), one it found before still joins, and another address joins either.
    expect(await joinFrom(other.code)).toMatchObject({ ok: false, code: 'rate_limited' });
    expect(await joinFrom(w.code)).toMatchObject({ ok: true });
    const elsewhere = await TestClient.screen(server.url, other.code);
    elsewhere.close();
  });
});

describe('with roomy allowances, the number of sockets one address holds at once', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ joinTimeoutMs: 120_000 });
  });
  afterAll(async () => {
    await server.stop();
    removeDir(server.dataDir);
  });

  it(`is ${MAX_SOCKETS_PER_ADDRESS}: the next is refused until one closes; another address is not held back`, async () => {
    const from = '203.0.113.70';
    const { open: sockets, refused } = await openMany(server.url, from, MAX_SOCKETS_PER_ADDRESS, 200);
    try {
      expect(refused).toBe(0);
      expect(sockets).toHaveLength(MAX_SOCKETS_PER_ADDRESS);
      expect(await open(server.url, from)).toBeNull();
      sockets.pop()!.close();
      // The server counts the close when it sees it: poll briefly for the freed place.
      let again: ClientSocket | null = null;
      for (let i = 0; i < 50 && !again; i++) {
        again = await open(server.url, from);
        if (!again) await sleep(20);
      }
      expect(again).not.toBeNull();
      sockets.push(again!);
      const other = await open(server.url, '203.0.113.71');
      expect(other).not.toBeNull();
      other!.close();
    } finally {
      for (const s of sockets) s.close();
    }
  }, 120_000);
});
