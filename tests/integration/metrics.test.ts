import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Metrics } from '../../server/metrics/metrics.ts';
import { TestClient } from '../support/client.ts';
import { createWorkshop, removeDir, send, startServer, type TestServer } from '../support/server.ts';
import { sleep } from '../support/wait.ts';

const TOKEN = 'scrape-token-of-the-operations-team';

interface Family {
  type: string;
  samples: Array<{ labels: Record<string, string>; value: number }>;
}

/** The Prometheus text format, read back: each family's type and samples. */
function parse(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const familyOf = (sample: string) =>
    [...families.keys()].find((f) => sample === f || (sample.startsWith(`${f}_`) && /_(bucket|sum|count)$/.test(sample))) ?? sample;
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) families.set(type[1], { type: type[2], samples: [] });
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || line.startsWith('#')) continue;
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    families.get(familyOf(m[1]))?.samples.push({ labels: { ...labels, __name: m[1] }, value: Number(m[3]) });
  }
  return families;
}

/** The sum of a family's samples whose labels match (`__name` picks _count, _bucket…). */
function value(f: Map<string, Family>, name: string, labels: Record<string, string> = {}): number {
  const family = f.get(name) ?? f.get(name.replace(/_(bucket|sum|count)$/, ''));
  if (!family) throw new Error(`no metric ${name}`);
  const want = { __name: name, ...labels };
  return family.samples.filter((s) => Object.entries(want).every(([k, v]) => s.labels[k] === v)).reduce((a, s) => a + s.value, 0);
}

describe('metrics for the operations team (Prometheus, at /metrics behind a token)', () => {
  let server: TestServer;
  const scrape = async () => {
    const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    return { text, f: parse(text) };
  };
  beforeAll(async () => {
    server = await startServer({ with: { metrics: new Metrics(), metricsToken: TOKEN } });
  });
  afterAll(async () => {
    await server.stop();
    removeDir(server.dataDir);
  });

  it('are refused without the token', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer guess' } })).status).toBe(401);
  });

  it('name every figure the issue asks for, with its type', async () => {
    const { f } = await scrape();
    const types = Object.fromEntries([...f].map(([name, fam]) => [name, fam.type]));
    expect(types).toMatchObject({
      fishbone_sockets: 'gauge',
      fishbone_workshops_loaded: 'gauge',
      fishbone_commands_total: 'counter',
      fishbone_joins_total: 'counter',
      fishbone_command_ack_seconds: 'histogram',
      fishbone_store_commit_seconds: 'histogram',
      fishbone_http_refused_total: 'counter',
      fishbone_rate_limited_total: 'counter',
      fishbone_exports_running: 'gauge',
      fishbone_exports_queued: 'gauge',
      fishbone_sign_ins_total: 'counter',
      fishbone_lease_takes_total: 'counter',
      fishbone_leases_lost_total: 'counter',
      process_cpu_user_seconds_total: 'counter',
      process_resident_memory_bytes: 'gauge',
      nodejs_eventloop_lag_seconds: 'gauge',
      nodejs_heap_size_used_bytes: 'gauge',
    });
    expect(
      f
        .get('fishbone_sockets')!
        .samples.map((s) => s.labels.role)
        .sort(),
    ).toEqual(['facilitator', 'participant', 'screen', 'unjoined']);
  });

  it('move with the load: sockets by role, commands by type and outcome, acks and commits, refusals', async () => {
    const before = (await scrape()).f;
    const w = await createWorkshop(server.url, { title: 'Busy morning', silent: false });
    const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
    const screen = await TestClient.screen(server.url, w.code);
    const phones = await Promise.all(Array.from({ length: 5 }, () => TestClient.participant(server.url, w.code)));
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    const bones = fac.board().meta.bones;
    for (const [i, p] of phones.entries())
      for (let k = 0; k < 3; k++) await p.do({ type: 'note.add', boneId: bones[k].id, text: `Barrier ${i}.${k}` });
    const refused = await phones[0].send({ type: 'phase.set', phase: 'vote' });
    expect(refused).toMatchObject({ ok: false, code: 'forbidden' });
    // One phone sends far faster than anyone taps: past its allowance the answers are rate_limited.
    const burst = await Promise.all(
      Array.from({ length: 48 }, (_, k) => send(phones[1].socket, { type: 'note.edit', noteId: 'nope', text: `x${k}` })),
    );
    const limited = burst.filter((r) => !r.ok && r.code === 'rate_limited').length;
    expect(limited).toBeGreaterThan(0);
    expect((await fetch(`${server.url}/api/workshops/ZZZZZZ`)).status).toBe(404);

    const during = (await scrape()).f;
    expect(value(during, 'fishbone_sockets', { role: 'participant' })).toBe(5);
    expect(value(during, 'fishbone_sockets', { role: 'facilitator' })).toBe(1);
    expect(value(during, 'fishbone_sockets', { role: 'screen' })).toBe(1);
    expect(value(during, 'fishbone_workshops_loaded')).toBeGreaterThanOrEqual(1);
    const moved = (name: string, labels: Record<string, string> = {}) => value(during, name, labels) - value(before, name, labels);
    expect(moved('fishbone_commands_total', { type: 'note.add', outcome: 'ok' })).toBe(15);
    expect(moved('fishbone_commands_total', { type: 'phase.set', outcome: 'ok' })).toBe(1);
    expect(moved('fishbone_commands_total', { type: 'phase.set', outcome: 'forbidden' })).toBe(1);
    expect(moved('fishbone_commands_total', { type: 'note.edit', outcome: 'rate_limited' })).toBe(limited);
    expect(moved('fishbone_rate_limited_total', { where: 'socket' })).toBe(limited);
    expect(moved('fishbone_joins_total', { role: 'participant', outcome: 'ok' })).toBe(5);
    expect(moved('fishbone_http_refused_total', { status: '404' })).toBe(1);
    // Every command answered is in the ack histogram; every durable one waited for a commit.
    expect(moved('fishbone_command_ack_seconds_count')).toBe(moved('fishbone_commands_total'));
    expect(moved('fishbone_store_commit_seconds_count')).toBeGreaterThanOrEqual(16);
    expect(moved('fishbone_command_ack_seconds_bucket', { le: '+Inf' })).toBe(moved('fishbone_command_ack_seconds_count'));

    for (const c of [fac, screen, ...phones]) c.close();
    let after = (await scrape()).f;
    for (let i = 0; i < 50 && value(after, 'fishbone_sockets', { role: 'participant' }) > 0; i++) {
      await sleep(50);
      after = (await scrape()).f;
    }
    expect(value(after, 'fishbone_sockets', { role: 'participant' })).toBe(0);
  });

  it('count exports running and queued while they are made', async () => {
    const w = await createWorkshop(server.url, { title: 'Exports', silent: false });
    const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    await fac.do({ type: 'note.add', boneId: fac.board().meta.bones[0].id, text: 'A barrier to draw' });
    const auth = { authorization: `Bearer ${w.facilitatorKey}` };
    const files = ['fishbone.png', 'slides.pptx', 'report.docx'].map((f) =>
      fetch(`${server.url}/api/workshops/${w.code}/export/${f}`, { headers: auth }),
    );
    let seen = { running: 0, queued: 0 };
    for (let i = 0; i < 200 && !(seen.running === 1 && seen.queued >= 1); i++) {
      const { f } = await scrape();
      seen = { running: value(f, 'fishbone_exports_running'), queued: value(f, 'fishbone_exports_queued') };
    }
    expect(seen.running).toBe(1);
    expect(seen.queued).toBeGreaterThanOrEqual(1);
    expect((await Promise.all(files)).map((r) => r.status)).toEqual([200, 200, 200]);
    const { f } = await scrape();
    expect([value(f, 'fishbone_exports_running'), value(f, 'fishbone_exports_queued')]).toEqual([0, 0]);
    fac.close();
  });

  it('hold counts only: no code, key, token, note, title or address', async () => {
    const w = await createWorkshop(server.url, { title: 'A title nobody scrapes' });
    const phone = await TestClient.participant(server.url, w.code);
    const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    await phone.do({ type: 'note.add', boneId: fac.board().meta.bones[0].id, text: 'Words of a participant' });
    const { text } = await scrape();
    for (const secret of [w.code, w.facilitatorKey, phone.token!, 'Words of a participant', 'A title nobody scrapes', '127.0.0.1'])
      expect(text).not.toContain(secret);
    // Every label value comes from a fixed list.
    const labelValues = new Set(
      [...text.matchAll(/(\w+)="([^"]*)"/g)].filter((m) => m[1] !== 'le' && m[1] !== 'quantile').map((m) => `${m[1]}=${m[2]}`),
    );
    for (const lv of labelValues)
      expect(lv).toMatch(/^(role|type|outcome|status|where|how|kind|space|version|major|minor|patch)=[\w.\-:]*$/);
    phone.close();
    fac.close();
  });
});
