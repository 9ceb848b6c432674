import { afterAll, expect, it } from 'vitest';
import { Leases } from '../../server/cluster/lease.ts';
import { PostgresStore } from '../../server/store/postgres.ts';
import { createWorkshop as makeWorkshop } from '../../server/workshop/create.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';
import { refusals } from '../../shared/messages/refusals.ts';
import { connectSocket, join, newToken, startServerOn, type TestServer } from '../support/server.ts';

const dbs: TestDatabase[] = [];
const leases: Leases[] = [];
const servers: Array<TestServer<PostgresStore>> = [];
afterAll(async () => {
  for (const s of servers) await s.stop();
  for (const l of leases) await l.close();
  for (const db of dbs) await db.drop();
});

/** A node (a) with a store fenced by its leases, and a workshop another node (b) has just taken. */
async function heldElsewhere(): Promise<{ server: TestServer<PostgresStore>; code: string }> {
  const db = await createTestDatabase();
  dbs.push(db);
  const a = new Leases(db.url, { nodeId: 'node-a', nodeUrl: 'http://a', leaseMs: 60_000, claimWaitMs: 100 });
  const b = new Leases(db.url, { nodeId: 'node-b', nodeUrl: 'http://b', leaseMs: 60_000, claimWaitMs: 100 });
  leases.push(a, b);
  const store = await PostgresStore.open(db.url, { fence: a });
  const { row } = await makeWorkshop(store, { title: 'Elsewhere', template: 'barriers', silent: true }, Date.now());
  await b.claim(row.id);
  // Node a, serving without the router in front (a phone that reached it directly).
  const server = await startServerOn(store, {
    registry: {
      ownership: {
        claim: (id) => a.claim(id),
        release: (id) => void a.release([id]),
        onLost: (listener) => a.onLost((id) => listener(id, 'another node owns it now')),
      },
    },
  });
  servers.push(server);
  return { server, code: row.code };
}

it('a request for a workshop another node holds freshly is answered 503 "unavailable", to be tried again, not 500', async () => {
  const { server, code } = await heldElsewhere();
  const res = await fetch(`${server.url}/api/workshops/${code}`);
  expect(res.status).toBe(503);
  expect(res.headers.get('retry-after')).toBe('1');
  expect(((await res.json()) as { code: string }).code).toBe('unavailable');
});

it('a join that did not name its workshop (?w=CODE) on a node that does not hold it is told why at once; one that did is sent to reconnect', async () => {
  const { server, code } = await heldElsewhere();
  const unnamed = connectSocket(server.url);
  const started = performance.now();
  const reply = await join(unnamed, { as: 'participant', code, token: newToken() });
  expect(performance.now() - started).toBeLessThan(2000);
  expect(reply).toMatchObject({ ok: false, code: 'bad_request' });
  expect((reply as { message: string }).message).toContain(refusals.badRequest.joinWithoutCode);
  unnamed.close();
  const named = connectSocket(server.url, undefined, code);
  const gone = new Promise<string>((resolve) => named.on('disconnect', (reason) => resolve(reason)));
  void join(named, { as: 'participant', code, token: newToken() }).catch(() => undefined);
  expect(await gone).toBe('io server disconnect');
  named.close();
});
