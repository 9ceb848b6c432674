import { afterAll, describe, expect, it } from 'vitest';
import { Leases, OwnedElsewhere } from '../../server/cluster/lease.ts';
import { LeaseLost, PostgresStore } from '../../server/store/postgres.ts';
import type { Batch } from '../../server/store/store.ts';
import { createWorkshop as makeWorkshop } from '../../server/workshop/create.ts';
import { createTestDatabase, query, type TestDatabase } from '../support/postgres.ts';

const dbs: TestDatabase[] = [];
const stores: PostgresStore[] = [];
afterAll(async () => {
  for (const s of stores) await s.close();
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
    a: new Leases(a.pool, { nodeId: 'node-a', nodeUrl: 'http://a', leaseMs, claimWaitMs: 100 }),
    b: new Leases(b.pool, { nodeId: 'node-b', nodeUrl: 'http://b', leaseMs, claimWaitMs: 100 }),
  };
  return { db, a, b, id: row.id, leases };
}

const participantRow = (participantId: string): Batch => ({
  docUpdate: null,
  docSnapshot: null,
  ops: [{ t: 'participant', participantId }],
});

describe('the ownership lease', () => {
  it('is taken by one node at a time; another node gets it only once it has run out, under a new epoch', async () => {
    const { id, leases } = await twoNodes(600);
    expect((await leases.a.claim(id)).epoch).toBe(1);
    await expect(leases.b.claim(id)).rejects.toBeInstanceOf(OwnedElsewhere);
    await new Promise((r) => setTimeout(r, 700));
    expect((await leases.b.claim(id)).epoch).toBe(2);
    // a's renewal finds the workshop gone to b and says so
    const lost: string[] = [];
    leases.a.onLost = (w) => lost.push(w);
    await leases.a.renew();
    expect(lost).toEqual([id]);
    expect(leases.a.holds(id)).toBe(false);
  });

  it("refuses, inside the commit's own transaction, a write under an epoch that is no longer the node's", async () => {
    const { db, a, b, id, leases } = await twoNodes(400);
    await leases.a.claim(id);
    a.fence = leases.a;
    await a.commit(id, participantRow('written-by-a'));
    await new Promise((r) => setTimeout(r, 500));
    await leases.b.claim(id);
    b.fence = leases.b;
    // A node that was paused and still believes its epoch (its own clock is no help here).
    a.fence = { nodeId: 'node-a', epochOf: () => 1 };
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
    const { id, leases } = await twoNodes(300);
    await leases.a.claim(id);
    expect(leases.a.epochOf(id)).toBe(1);
    await new Promise((r) => setTimeout(r, 350));
    expect(leases.a.epochOf(id)).toBeNull();
    // Nobody took it meanwhile: a renewal confirms it again.
    await leases.a.renew();
    expect(leases.a.epochOf(id)).toBe(1);
  });
});
