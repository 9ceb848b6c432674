import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../../support/client.ts';
import { TestCluster } from '../../support/cluster.ts';
import { createWorkshop } from '../../support/server.ts';

const TOKEN = 'scrape-token-of-the-operations-team';

/** A node's count of workshops it took, by how. */
async function takes(url: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
  return Object.fromEntries([...text.matchAll(/^fishbone_lease_takes_total\{how="(\w+)"\} (\d+)$/gm)].map((m) => [m[1], Number(m[2])]));
}

describe('metrics of several nodes: where workshops moved and failed over', () => {
  const cluster = new TestCluster({ nodes: 2, leaseMs: 2000, env: { METRICS_TOKEN: TOKEN } });
  beforeAll(() => cluster.start().then(() => undefined), 60_000);
  afterAll(() => cluster.stop());

  it('count a first take, a failover after a crash, and a move after a graceful stop', { timeout: 60_000 }, async () => {
    const [a, b] = cluster.nodes;
    const w = await createWorkshop(a.url, { title: 'Moving around' });
    const first = await TestClient.participant(a.url, w.code);
    expect((await cluster.ownerOf(w.code))?.url).toBe(a.url);
    expect(await takes(a.url)).toEqual({ first: 1, moved: 0, failover: 0 });
    first.close();

    // The owner crashes: its lease still runs, so the other node waits it out, then takes over.
    await a.stop('SIGKILL');
    const afterCrash = await TestClient.participant(b.url, w.code);
    expect(await takes(b.url)).toEqual({ first: 0, moved: 0, failover: 1 });

    // A graceful stop gives the workshop up at once: the restarted node takes it without waiting.
    await a.start();
    afterCrash.close();
    await b.stop('SIGTERM');
    const afterStop = await TestClient.participant(a.url, w.code);
    expect(await takes(a.url)).toEqual({ first: 0, moved: 1, failover: 0 });
    afterStop.close();
    await b.start();
  });
});
