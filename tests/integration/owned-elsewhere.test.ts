import { afterAll, expect, it } from 'vitest';
import { Leases } from '../../server/cluster/lease.ts';
import { PostgresStore } from '../../server/store/postgres.ts';
import { createWorkshop as makeWorkshop } from '../../server/workshop/create.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';
import { startServerOn, type TestServer } from '../support/server.ts';

const dbs: TestDatabase[] = [];
const leases: Leases[] = [];
let server: TestServer<PostgresStore> | null = null;
afterAll(async () => {
  await server?.stop();
  for (const l of leases) await l.close();
  for (const db of dbs) await db.drop();
});

it('a request for a workshop another node holds freshly is answered 503 "unavailable", to be tried again, not 500', async () => {
  const db = await createTestDatabase();
  dbs.push(db);
  const a = new Leases(db.url, { nodeId: 'node-a', nodeUrl: 'http://a', leaseMs: 60_000, claimWaitMs: 100 });
  const b = new Leases(db.url, { nodeId: 'node-b', nodeUrl: 'http://b', leaseMs: 60_000, claimWaitMs: 100 });
  leases.push(a, b);
  const store = await PostgresStore.open(db.url, { fence: a });
  const { row } = await makeWorkshop(store, { title: 'Elsewhere', template: 'barriers', silent: true }, Date.now());
  await b.claim(row.id);
  // Node a, serving without the router in front (a phone that reached it directly).
  server = await startServerOn(store, {
    registry: {
      ownership: {
        claim: (id) => a.claim(id),
        release: (id) => void a.release([id]),
        onLost: (listener) => a.onLost((id) => listener(id, 'another node owns it now')),
      },
    },
  });
  const res = await fetch(`${server.url}/api/workshops/${row.code}`);
  expect(res.status).toBe(503);
  expect(res.headers.get('retry-after')).toBe('1');
  expect(((await res.json()) as { code: string }).code).toBe('unavailable');
});
