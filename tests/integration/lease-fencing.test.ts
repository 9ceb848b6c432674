import { afterAll, describe, expect, it } from 'vitest';
import { Leases, OwnedElsewhere } from '../../server/cluster/lease.ts';
import pg from 'pg';
import { LeaseLost, PostgresStore, writerConfig } from '../../server/store/postgres.ts';
import type { Batch } from '../../server/store/store.ts';
import { createWorkshop as makeWorkshop } from '../../server/workshop/create.ts';
import { createTestDatabase, query, type TestDatabase } from '../support/postgres.ts';
import { sleep } from '../support/wait.ts';

const dbs: TestDatabase[] = [];
const stores: PostgresStore[] = [];
const allLeases: Leases[] = [];
afterAll(async () => {
  for (const s of stores) await s.close();
  for (const l of allLeases) await l.close();
  for (const db of dbs) await db.drop();
});

/** Two nodes' stores and leases on one fresh database, and a workshop in it. */
async function twoNodes(leaseMs: number) {
  const db = await createTestDatabase();
  dbs.push(db);
  const [a, b] = [await PostgresStore.open(db.url), await PostgresStore.open(db.url)];
  stores.push(a, b);
  const { row } = await makeWorkshop(a, { title: 'Fenced', template: 'barriers', silent: true }, Date.now());
  const leases = {
    a: new Leases(db.url, { nodeId: 'node-a', nodeUrl: 'http://a', leaseMs, claimWaitMs: 100 }),
    b: new Leases(db.url, { nodeId: 'node-b', nodeUrl: 'http://b', leaseMs, claimWaitMs: 100 }),
  };
  allLeases.push(leases.a, leases.b);
  return { db, a, b, id: row.id, leases };
}

const participantRow = (participantId: string): Batch => ({
  docUpdate: null,
  docSnapshot: null,
  ops: [{ t: 'participant', participantId }],
});

/**
 * Leases here are long enough that what must happen inside one (a claim refused, a commit under a
 * live epoch) has most of a second to spare on a busy two-core CI machine, where one PostgreSQL
 * round trip has taken 100 ms; the waits that must outlast one are the lease and a margin more.
 */
const LEASE = 1500;
const PAST_LEASE = LEASE + 300;

describe('the ownership lease', () => {
  it('is taken by one node at a time; another node gets it only once it has run out, under a new epoch', async () => {
    const { id, leases } = await twoNodes(LEASE);
    expect((await leases.a.claim(id)).epoch).toBe(1);
    await expect(leases.b.claim(id)).rejects.toBeInstanceOf(OwnedElsewhere);
    await sleep(PAST_LEASE);
    expect((await leases.b.claim(id)).epoch).toBe(2);
    // a's renewal finds the workshop gone to b and says so
    const lost: string[] = [];
    leases.a.onLost((w) => lost.push(w));
    await leases.a.renew();
    expect(lost).toEqual([id]);
    expect(leases.a.holds(id)).toBe(false);
  });

  it("refuses, inside the commit's own transaction, a write under an epoch that is no longer the node's", async () => {
    const { db, a, b, id, leases } = await twoNodes(LEASE);
    await leases.a.claim(id);
    a.fence = leases.a;
    await a.commit(id, participantRow('written-by-a'));
    await sleep(PAST_LEASE);
    await leases.b.claim(id);
    b.fence = leases.b;
    // A node that was paused and still believes its epoch (its own clock is no help here).
    a.fence = { nodeId: 'node-a', leaseMs: LEASE, epochOf: () => 1 };
    await expect(a.commit(id, participantRow('late-from-a'))).rejects.toBeInstanceOf(LeaseLost);
    await b.commit(id, participantRow('written-by-b'));
    const rows = await query<{ participant_id: string }>(db, 'SELECT participant_id FROM participants ORDER BY participant_id');
    expect(rows.map((r) => r.participant_id)).toEqual(['written-by-a', 'written-by-b']);
  });

  it('is given up at once on release, so another node takes it without waiting', async () => {
    const { id, leases } = await twoNodes(60_000);
    await leases.a.claim(id);
    await leases.a.releaseAll();
    expect((await leases.b.claim(id)).epoch).toBe(2);
  });

  it('stops counting on a lease once a lease time has passed on its own clock without a renewal', async () => {
    const { id, leases } = await twoNodes(LEASE);
    await leases.a.claim(id);
    expect(leases.a.epochOf(id)).toBe(1);
    await sleep(PAST_LEASE);
    expect(leases.a.epochOf(id)).toBeNull();
    // Nobody took it meanwhile: a renewal confirms it again.
    await leases.a.renew();
    expect(leases.a.epochOf(id)).toBe(1);
  });

  it('is taken over within a fraction of a lease from a node paused inside its commit, and the new lease is live', async () => {
    const { db, id, leases } = await twoNodes(800);
    await leases.a.claim(id);
    // Node a's writer, stopped between the two round trips of a commit: its transaction holds the
    // lease row FOR SHARE, idle, for as long as the node is stopped.
    const paused = new pg.Client(writerConfig(db.url, leases.a));
    paused.on('error', () => undefined);
    await paused.connect();
    await paused.query('BEGIN');
    await paused.query('SELECT epoch FROM leases WHERE workshop_id = $1 FOR SHARE', [id]);
    await sleep(900); // a's lease has run out meanwhile
    const t0 = performance.now();
    const c = new Leases(db.url, { nodeId: 'node-c', nodeUrl: 'http://c', leaseMs: 800, claimWaitMs: 10_000 });
    allLeases.push(c);
    const { epoch } = await c.claim(id);
    const waited = performance.now() - t0;
    expect(epoch).toBe(2);
    // PostgreSQL ended the paused session after a quarter of a lease; the take went through then.
    expect(waited).toBeLessThan(800);
    const [row] = await query<{ live: boolean }>(db, 'SELECT expires_at > clock_timestamp() AS live FROM leases WHERE workshop_id = $1', [
      id,
    ]);
    expect(row.live).toBe(true);
    await paused.end().catch(() => undefined);
  });

  it('a claim that sees another node win the workshop gives up at once, not at the end of its wait', async () => {
    const { db, id, leases } = await twoNodes(600);
    await leases.a.claim(id);
    // Node a stops renewing (it died); two nodes come for the workshop once its lease is no longer fresh.
    await sleep(250);
    const patient = (nodeId: string) => {
      const l = new Leases(db.url, { nodeId, nodeUrl: `http://${nodeId}`, leaseMs: 600, claimWaitMs: 20_000 });
      allLeases.push(l);
      const t0 = performance.now();
      return l.claim(id).then(
        (r) => ({ won: true, epoch: r.epoch, ms: performance.now() - t0 }),
        (err: unknown) => ({ won: false, epoch: 0, ms: performance.now() - t0, err }),
      );
    };
    const [c, d] = await Promise.all([patient('node-c'), patient('node-d')]);
    expect([c.won, d.won].sort()).toEqual([false, true]);
    const loser = c.won ? d : c;
    expect((loser as { err?: unknown }).err).toBeInstanceOf(OwnedElsewhere);
    // Within a few polls of the winner's take, not after the 20 s it was willing to wait.
    expect(loser.ms).toBeLessThan(3 * 600);
  });

  it('takes a live lease at once from a node whose address refuses connections (its process is gone)', async () => {
    const { id, leases } = await twoNodes(60_000);
    await leases.a.claim(id);
    await expect(leases.b.claim(id)).rejects.toBeInstanceOf(OwnedElsewhere);
    leases.b.gone('http://a');
    expect((await leases.b.claim(id)).epoch).toBe(2);
  });
});
