import { afterEach, describe, expect, it } from 'vitest';
import { bigBoard } from '../../bench/export-board.ts';
import { RenderBusy, RenderFailed, RenderPool, type RenderRequest } from '../../server/exports/render-pool.ts';
import type { HeavyKind } from '../../server/exports/render.ts';
import { until } from '../support/client.ts';

/**
 * The export workers (server/exports/render-pool.ts) as a stranger meets them: bounded in memory
 * and time, fair between addresses, nothing made for a client who has gone, nothing made twice.
 */
const small = bigBoard(5);
const big = bigBoard(2000);
let pools: RenderPool[] = [];
afterEach(async () => {
  await Promise.all(pools.map((p) => p.close()));
  pools = [];
});
const poolOf = (o: ConstructorParameters<typeof RenderPool>[0] = {}) => {
  const p = new RenderPool(o);
  pools.push(p);
  return p;
};
let n = 0;
const req = (kind: HeavyKind, model = small, address = 'a', workshop = 'w', signal?: AbortSignal): RenderRequest => ({
  key: `k${++n}`,
  job: { kind, model, timeZone: 'Europe/London' },
  address,
  workshop,
  signal,
});

describe('the export workers', () => {
  // A few seconds on a quiet machine; a worker running out of memory is slow on a busy one.
  it('refuse an export past the heap limit alone; the next one is made', { timeout: 90_000 }, async () => {
    const pool = poolOf({ heapMb: 48 });
    const refused = pool.render(req('docx', big));
    await expect(refused).rejects.toThrow(RenderFailed);
    await expect(refused).rejects.toThrow(/needs too much memory/);
    const ok = await pool.render(req('svg'));
    expect(ok.toString('utf8')).toContain('<svg');
  });

  it('give up an export past the time limit; the next one is made', async () => {
    const pool = poolOf({ timeoutMs: 300 });
    await expect(pool.render(req('png', big))).rejects.toThrow(/too long/);
    // A fresh worker (the slow one was stopped) makes the next at its own pace.
    const again = poolOf({ timeoutMs: 60_000 });
    expect((await again.render(req('png'))).subarray(1, 4).toString()).toBe('PNG');
  });

  it('take turns between addresses: one address’s queue does not hold another’s export back', async () => {
    const pool = poolOf({ perAddress: 3 });
    const done: string[] = [];
    const track = (name: string, p: Promise<Buffer>) => p.then(() => done.push(name));
    const jobs = [
      track('a1', pool.render(req('svg', big, 'stranger', 's1'))),
      track('a2', pool.render(req('svg', big, 'stranger', 's2'))),
      track('a3', pool.render(req('svg', big, 'stranger', 's3'))),
    ];
    // A fourth from the same address is refused at once, to try again soon.
    await expect(pool.render(req('svg', big, 'stranger', 's4'))).rejects.toThrow(RenderBusy);
    jobs.push(track('b', pool.render(req('svg', small, 'facilitator', 'mine'))));
    await Promise.all(jobs);
    // The stranger's first was running; the facilitator's came next.
    expect(done.indexOf('b')).toBe(1);
  });

  it('drop an export whose client has gone, waiting or being made', async () => {
    const pool = poolOf();
    const running = new AbortController();
    const waiting = new AbortController();
    const first = pool.render(req('docx', big, 'a', 'w1', running.signal));
    const second = pool.render(req('docx', big, 'a', 'w2', waiting.signal));
    await until(() => pool.counts.running === 1 && pool.counts.queued === 1, 'one made, one waiting', 5000);
    waiting.abort();
    await expect(second).rejects.toThrow(/gone/);
    expect(pool.counts.queued).toBe(0);
    running.abort();
    await expect(first).rejects.toThrow(/gone/);
    expect(pool.counts).toEqual({ queued: 0, running: 0 });
    // The worker that was making it was stopped; the next export gets a new one.
    expect((await pool.render(req('svg'))).toString('utf8')).toContain('<svg');
  });

  it('make the same file once for everyone who asks, then serve it from the cache', async () => {
    const pool = poolOf();
    const r = req('pptx');
    const [a, b] = await Promise.all([pool.render(r), pool.render({ ...r, address: 'other' })]);
    expect(a).toBe(b);
    // Asked again: the same bytes, with nothing queued or made.
    const again = pool.render(r);
    expect(pool.counts).toEqual({ queued: 0, running: 0 });
    expect(await again).toBe(a);
  });
});
