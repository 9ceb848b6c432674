import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient, until } from '../support/client.ts';
import { freePort, ServerProcess } from '../support/process.ts';
import { createWorkshop } from '../support/server.ts';
import { ADDRESS_LIMITS } from '../../server/guard/address-limits.ts';
import { flood, memoryOf, near, p95, probe, quietParticipant } from './harness.ts';
import { sleep } from '../support/wait.ts';

/**
 * What a stranger's sockets and connections may hold (issue 21, findings 3, 4, 6, 7, 10 and 12),
 * each attack from a process of its own against the server with its real limits, while a quiet
 * participant in another workshop keeps working; figures against its quiet p95 in this run.
 */
let server: ServerProcess;
let quietP95: number;
beforeAll(async () => {
  server = new ServerProcess(await freePort());
  await server.start();
  quietP95 = p95(await probe(await quietParticipant(server), 3000));
  console.log(`quiet ack p95: ${quietP95.toFixed(1)} ms`);
});
afterAll(async () => {
  await server.stop();
  server.cleanup();
});

/** The quiet participant's ack p95 while `kind` runs (its own workshop unless `code`). */
async function during(kind: string, seconds: number, ...args: string[]) {
  const quiet = await quietParticipant(server);
  const attack = flood(server, kind, seconds, ...args);
  // The last 5 s of the attack at most: a socket's own command allowance (40, then 5 a second)
  // runs dry after about 6 s of the probe's 12 a second.
  const probeMs = Math.min(5000, (seconds - 2.5) * 1000);
  await sleep((seconds - 1) * 1000 - probeMs);
  const times = await probe(quiet, probeMs);
  const result = await attack;
  const measured = p95(times);
  console.log(
    `${kind}: quiet ack p95 ${measured.toFixed(1)} ms (${(measured / quietP95).toFixed(1)}× quiet); ${JSON.stringify(result.counts)}`,
  );
  quiet.close();
  return { measured, counts: result.counts };
}

/** A workshop in its brainstorm, for the attacker to join. */
async function room(from: string) {
  const w = await createWorkshop(server.url, { title: 'Attacked', silent: false }, from);
  const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
  await fac.do({ type: 'phase.set', phase: 'brainstorm' });
  return { w, fac };
}

describe('a stranger’s sockets', () => {
  it('binary attachments are refused where the protocol has none, and a half-sent one holds almost nothing', async () => {
    const { w, fac } = await room('192.0.2.40');
    const before = memoryOf(server).rssMb;
    const { measured, counts } = await during('binary', 7, w.code);
    const grew = memoryOf(server).peakMb - before;
    console.log(`binary: server RSS grew ${grew.toFixed(0)} MB`);
    near(measured, quietP95, 10, 250);
    // Every binary command was refused, and its senders cut off.
    expect(counts['binary rate_limited']).toBeGreaterThan(0);
    expect(counts['binary ok'] ?? 0).toBe(0);
    expect(counts['cut off']).toBe(10);
    // 600 connections each holding nine 60 KB pieces of a packet of ten: ~320 MB before; now
    // the packet is refused at its header and the connection closed.
    expect(grew).toBeLessThan(150);
    await fac.sync();
    expect(fac.board().notes).toHaveLength(0);
    fac.close();
  });

  it('600 sockets from one address, each within its own allowance, share one and are cut off', async () => {
    const { w, fac } = await room('192.0.2.41');
    const { measured, counts } = await during('sockets', 7, w.code);
    near(measured, quietP95, 10, 250);
    // The address's allowance is 3,000 events at once and 1,000 a second. Quiet, the attacker
    // sends about 17,000 a second and more than half its sockets are cut off; on a busy machine
    // its own process may send barely past the allowance (about 1,100 a second seen in CI).
    const allowance = ADDRESS_LIMITS.events.burst + ADDRESS_LIMITS.events.perSecond * 7;
    const sent = counts['time sent'] ?? 0;
    if (sent > 4 * allowance) expect(counts['cut off']).toBeGreaterThan(300);
    else if (sent > 1.5 * allowance) expect(counts['cut off']).toBeGreaterThan(0);
    fac.close();
  });

  it('the participant page of a board at the caps, loaded in loops while it changes, is drawn within a budget and limited per address', async () => {
    const { measured, counts } = await during('pages', 12);
    near(measured, quietP95, 10, 250);
    expect(counts['200']).toBeGreaterThan(0);
    // 600 at once, then 30 a second: on a busy machine the attacker may not even reach that in
    // 12 s; when it does, it is refused.
    if ((counts['200'] ?? 0) > 600 + 30 * 12) expect(counts['429']).toBeGreaterThan(0);
    expect(counts['200']).toBeLessThanOrEqual(600 + 30 * 13);
  });

  it('projector screens are capped per address and per workshop, and the room’s count stays honest', async () => {
    const { w, fac } = await room('192.0.2.42');
    const one = await flood(server, 'screens', 2, w.code);
    expect(one.counts['screen joined']).toBe(10);
    expect(one.counts['screen limit_reached']).toBe(50);
    const spread = await flood(server, 'screens', 3, w.code, 'spread');
    expect(spread.counts['screen joined']).toBe(50);
    expect(spread.counts['screen limit_reached']).toBe(10);
    await until(() => fac.stats?.connected.screens === 0, 'the screens gone', 5000);
    fac.close();
  });

  it('connections that stop reading as they join a board at the caps park a bounded amount, per address', async () => {
    const attack = flood(server, 'unread', 12);
    // What the server's sockets hold unsent in the kernel, at its largest during the attack.
    let parked = 0;
    const sendQueue = () =>
      execFileSync('ss', ['-tnH', 'state', 'established', `( sport = :${server.port} )`], { encoding: 'utf8' })
        .split('\n')
        .reduce((sum, line) => sum + (Number(line.trim().split(/\s+/)[1]) || 0), 0);
    const sampler = setInterval(() => (parked = Math.max(parked, sendQueue())), 250);
    const { counts } = await attack;
    clearInterval(sampler);
    console.log(`unread: at most ${(parked / 2 ** 20).toFixed(1)} MB unsent in the kernel; ${JSON.stringify(counts)}`);
    // 300 joins of a board at the caps parked what each join answer holds; one address's joins
    // now send 32 MB at once and 1 MB a second after.
    expect(parked).toBeLessThan(48 * 2 ** 20);
  });
});

describe('idle connections', () => {
  let direct: ServerProcess;
  beforeAll(async () => {
    // No proxy trusted: every TCP peer is a client, as on a server facing the internet.
    direct = new ServerProcess(await freePort(), { TRUST_PROXY: 'none' });
    await direct.start();
  });
  afterAll(async () => {
    await direct.stop();
    direct.cleanup();
  });

  it('3,000 TCP connections sending nothing: past 2,500 closed at once, the rest within seconds; others still get in', async () => {
    const quiet = await quietParticipant(direct);
    const base = p95(await probe(quiet, 2000));
    const attack = flood(direct, 'idle', 25);
    await sleep(2000);
    // A new phone, from another address, gets in while the idle connections are open.
    const newcomer = await quietParticipant(direct);
    const times = await probe(newcomer, 4000);
    const { counts } = await attack;
    console.log(`idle: newcomer ack p95 ${p95(times).toFixed(1)} ms against ${base.toFixed(1)}; ${JSON.stringify(counts)}`);
    near(p95(times), base);
    expect(counts['closed at once']).toBeGreaterThanOrEqual(500);
    expect(counts['closed by the end']).toBe(3000);
    // Within the first request's 10 s and a check every 2 s.
    expect(counts['latest close ms']).toBeLessThan(14_000);
    for (const c of [quiet, newcomer]) c.close();
  });
});
