import { afterAll, describe, expect, it } from 'vitest';
import type { CommandInput } from '../../../shared/commands.ts';
import type { Result } from '../../../shared/errors.ts';
import type { CommandReply } from '../../../shared/events.ts';
import { TestCluster } from '../../support/cluster.ts';
import { createTestDatabase } from '../../support/postgres.ts';
import { eventually, Phone } from '../../support/phone.ts';
import { sleep } from '../../support/wait.ts';
import { cmdId, connectSocket, createWorkshop, join, newToken } from '../../support/server.ts';
import { PrivatePostgres, PrivateRedis } from '../../support/services.ts';

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

interface Answered {
  text: string;
  answer: Result<CommandReply> | null;
  at: number;
}

/** Phones on both nodes that each write notes one after another until told to stop. */
function writers(phones: Phone[]) {
  const answered: Answered[] = [];
  let stop = false;
  const done = Promise.all(
    phones.map(async (p, i) => {
      for (let k = 0; !stop; k++) {
        const text = `Phone ${i} note ${k}`;
        const answer = await p.send({ type: 'note.add', boneId: 'people', text } as CommandInput, cmdId());
        answered.push({ text, answer, at: Date.now() });
        await sleep(100);
      }
    }),
  );
  return {
    answered,
    finish: async () => {
      stop = true;
      await done;
    },
  };
}

async function brainstormOn(cluster: TestCluster, people: number) {
  const w = await createWorkshop(cluster.urls[0], { title: 'Outage', silent: false });
  const fac = new Phone(cluster.urls, { as: 'facilitator', code: w.code, key: w.facilitatorKey }, 0);
  await fac.whenJoined();
  expect((await fac.send({ type: 'phase.set', phase: 'brainstorm' }))?.ok).toBe(true);
  const phones = Array.from(
    { length: people },
    (_, i) => new Phone(cluster.urls, { as: 'participant', code: w.code, token: newToken() }, i),
  );
  await Promise.all(phones.map((p) => p.whenJoined()));
  return { w, fac, phones };
}

const storedTexts = async (cluster: TestCluster, code: string) =>
  Object.values((await cluster.stored(code)).json.notes as Record<string, { text: string }>)
    .map((n) => n.text)
    .sort();

describe('Redis restarted mid-workshop', () => {
  it('does not stop commands being acknowledged, during the restart or after it', { timeout: 60_000 }, async () => {
    const redis = new PrivateRedis();
    await redis.start();
    cleanups.push(() => redis.stop());
    const cluster = await new TestCluster({ nodes: 2, redisUrl: redis.url }).start();
    cleanups.push(() => cluster.stop());
    const { w, fac, phones } = await brainstormOn(cluster, 4);
    const run = writers(phones);
    await sleep(500);
    await redis.stop();
    const downAt = Date.now();
    await sleep(1500);
    await redis.start();
    const upAt = Date.now();
    await sleep(1000);
    await run.finish();
    const whileDown = run.answered.filter((a) => a.at > downAt && a.at < upAt);
    expect(whileDown.length).toBeGreaterThan(0);
    expect(whileDown.every((a) => a.answer?.ok)).toBe(true);
    expect(run.answered.every((a) => a.answer?.ok)).toBe(true);
    expect(await storedTexts(cluster, w.code)).toEqual(run.answered.map((a) => a.text).sort());
    [fac, ...phones].forEach((p) => p.close());
  });
});

describe('PostgreSQL stopped for 5 seconds mid-workshop', () => {
  it('acknowledges nothing while it is down, drops nothing, and applies everything once after', { timeout: 90_000 }, async () => {
    // A PostgreSQL of this test's own: stopping the machine's shared one would break every other test.
    const pg = new PrivatePostgres();
    await pg.init();
    cleanups.push(() => pg.remove());
    const db = await createTestDatabase(pg.adminUrl);
    const cluster = await new TestCluster({ nodes: 2, db }).start();
    cleanups.push(() => cluster.stop());
    const { w, fac, phones } = await brainstormOn(cluster, 4);
    const run = writers(phones);
    await sleep(700);
    await pg.stop();
    const downAt = Date.now();
    // A phone joining a workshop its node has not loaded is told to try again, not that something broke.
    const joining = connectSocket(cluster.urls[1]);
    await new Promise<void>((r) => joining.on('connect', () => r()));
    expect(await join(joining, { as: 'participant', code: 'ZZZZZZ', token: newToken() })).toMatchObject({ ok: false, code: 'unavailable' });
    joining.close();
    await sleep(Math.max(0, 5000 - (Date.now() - downAt)));
    const upAt = Date.now();
    await pg.start();
    await eventually(
      () => run.answered.filter((a) => a.at > upAt && a.answer?.ok).length >= 8,
      'acknowledgements after the restart',
      40_000,
    );
    await run.finish();
    // A commit that PostgreSQL had taken just before it went may be answered as it goes down.
    const whileDown = run.answered.filter((a) => a.at > downAt + 300 && a.at < upAt);
    expect(whileDown.filter((a) => a.answer?.ok)).toEqual([]);
    // Every command got its answer in the end, and each note is there exactly once.
    expect(run.answered.every((a) => a.answer?.ok)).toBe(true);
    expect(await storedTexts(cluster, w.code)).toEqual(run.answered.map((a) => a.text).sort());
    const stored = await cluster.stored(w.code);
    for (const p of [fac, ...phones])
      await eventually(() => JSON.stringify(p.doc.toJSON()) === JSON.stringify(stored.json), 'replicas equal to the store');
    [fac, ...phones].forEach((p) => p.close());
  });
});
