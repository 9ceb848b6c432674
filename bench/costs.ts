import { makeTemplate } from '../shared/templates/index.ts';
import { at, mono, sleep } from './clock.ts';
import { capacity, fitLine, TYPICAL, type Costs } from './capacity.ts';
import { BenchClient, Tracker } from './client.ts';
import { addressOf } from './digest.ts';
import type { Options } from './config.ts';
import { cpuSeconds } from './monitor.ts';
import { startOurs } from './servers.ts';
import { round } from './stats.ts';

/**
 * Server CPU per join, per command and per broadcast to N sockets (issue 17), and the capacity
 * that follows (bench/capacity.ts). For each room size N a fresh server, one workshop, N light
 * phones (bench/client.ts) in this process joining 50 at a time, then notes from 20 of them at
 * a steady pace (each broadcast to all N + 1 sockets), then dots (no document broadcast). CPU
 * is the server process's utime + stime (/proc), less what it spends idle over the same time.
 * CPU time, not latency: it holds up on a shared machine far better than any timing.
 */

const WRITERS = 20;

export interface CostRow {
  sockets: number;
  joinMs: number;
  noteMs: number;
  dotMs: number;
  idleMsPerS: number;
  notes: number;
  dots: number;
}

export interface CostsJson {
  scenario: 'costs';
  rows: CostRow[];
  costs: Costs;
  typical: typeof TYPICAL;
  capacity: ReturnType<typeof capacity>;
  date: string;
}

const cpuMs = (pid: number) => (cpuSeconds(pid) ?? NaN) * 1000;

export async function runCosts(o: Options, log: (s: string) => void): Promise<{ json: CostsJson; table: string }> {
  const sizes = o.quick ? [20, 100] : [50, 300, 1000];
  const notesEach = o.quick ? 5 : 20;
  const rows: CostRow[] = [];
  for (const n of sizes) {
    rows.push(await measure(n, notesEach, o, log));
  }
  const fit = fitLine(rows.map((r) => [r.sockets, r.noteMs] as const));
  const costs: Costs = {
    joinMs: round(rows.reduce((a, r) => a + r.joinMs, 0) / rows.length, 2),
    commandMs: round(Math.max(0, fit.intercept), 3),
    perSocketMs: round(fit.slope, 4),
    dotMs: round(rows[0].dotMs, 2),
  };
  const cap = capacity(costs, TYPICAL);
  const json: CostsJson = { scenario: 'costs', rows, costs, typical: TYPICAL, capacity: cap, date: new Date().toISOString() };
  const t = TYPICAL;
  const lines = [
    '',
    'server CPU costs [costs] (one workshop; light phones; CPU time of the server process)',
    `  ${'sockets'.padEnd(10)}${'per join'.padStart(12)}${'per note'.padStart(12)}${'per dot'.padStart(12)}${'idle'.padStart(12)}`,
    ...rows.map(
      (r) =>
        `  ${String(r.sockets).padEnd(10)}${`${r.joinMs} ms`.padStart(12)}${`${r.noteMs} ms`.padStart(12)}${`${r.dotMs} ms`.padStart(12)}${`${r.idleMsPerS} ms/s`.padStart(12)}   (${r.notes} notes, ${r.dots} dots)`,
    ),
    `  a note = ${costs.commandMs} ms + ${round(costs.perSocketMs * 1000, 1)} µs per socket in the room (least squares over the sizes)`,
    `  typical workshop (${t.people} people, ${t.minutes} min; each ${t.joins} joins, ${t.notes} notes, ${t.edits} edits, ${t.dots} dots): ${cap.cpuSecondsPerWorkshop} CPU s, ${cap.cpuMsPerParticipant} ms per participant`,
    `  one core at 50 % holds ${cap.participantsPerCore} participants in such workshops at once`,
  ];
  return { json, table: lines.join('\n') };
}

async function createWorkshop(url: string): Promise<{ code: string; key: string }> {
  const res = await fetch(`${url}/api/workshops`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': addressOf(-1) },
    body: JSON.stringify({ title: 'Bench costs', silent: false }),
  });
  if (res.status !== 201) throw new Error(`creating a workshop failed: ${res.status} ${await res.text()}`);
  const w = (await res.json()) as { code: string; facilitatorKey: string };
  return { code: w.code, key: w.facilitatorKey };
}

async function measure(n: number, notesEach: number, o: Options, log: (s: string) => void): Promise<CostRow> {
  const server = await startOurs({ cpuProfDir: o.cpuProf ?? undefined, dataRoot: o.dataRoot ?? undefined, entry: o.server });
  const phones: BenchClient[] = [];
  const tracker = new Tracker();
  try {
    const w = await createWorkshop(server.url);
    const fac = new BenchClient('ours', server.url, { g: -1, room: 0, ...w, notes: [], spread: true }, tracker);
    phones.push(fac);
    await fac.join();
    await sleep(1000);
    // Idle: what the server spends with nobody doing anything (timers, the checkpoint worker).
    const i0 = cpuMs(server.pid);
    const it = mono();
    await sleep(3000);
    const idleMsPerS = ((cpuMs(server.pid) - i0) / (mono() - it)) * 1000;
    const idle = (from: number) => ((mono() - from) / 1000) * idleMsPerS;

    // Joins, 50 at a time, each batch once the last has synced.
    log(`  costs: ${n} sockets joining`);
    let c0 = cpuMs(server.pid);
    let t0 = mono();
    for (let i = 0; i < n; i += 50) {
      const batch = Array.from(
        { length: Math.min(50, n - i) },
        (_, k) => new BenchClient('ours', server.url, { g: i + k, room: 0, code: w.code, notes: [], light: true, spread: true }, tracker),
      );
      phones.push(...batch);
      await Promise.all(batch.map((c) => c.join()));
    }
    await sleep(1500); // the coalesced counts that follow the joins
    const joinMs = (cpuMs(server.pid) - c0 - idle(t0)) / n;

    // Notes: 20 writers, one note every 25 ms in turn (40 a second in all, 2 a second each), so
    // that the idle time subtracted is small beside the notes' own.
    const cmd = async (c: BenchClient, body: Record<string, unknown>) => {
      const r = await c.command(body);
      if (!r.ok) throw new Error(`${String(body.type)} refused: ${r.code}`);
      return r;
    };
    await cmd(fac, { type: 'phase.set', phase: 'brainstorm' });
    await sleep(1000);
    const writers = phones.slice(1, 1 + Math.min(WRITERS, n));
    const bones = makeTemplate('barriers').bones.map((b) => b.id);
    const total = writers.length * notesEach;
    log(`  costs: ${total} notes to ${n + 1} sockets`);
    c0 = cpuMs(server.pid);
    t0 = mono();
    const ids: string[] = [];
    await Promise.all(
      Array.from({ length: total }, async (_, k) => {
        await at(t0 + k * 25);
        const r = await cmd(writers[k % writers.length], {
          type: 'note.add',
          boneId: bones[k % bones.length],
          text: `Cost of a broadcast, note ${k} [n ${writers[k % writers.length].g}.${k}]`,
        });
        if (r.ok && r.noteId) ids.push(r.noteId);
      }),
    );
    await sleep(1000);
    const noteMs = (cpuMs(server.pid) - c0 - idle(t0)) / total;

    // Dots: the writers place 5 each on different notes, 40 a second.
    await cmd(fac, { type: 'phase.set', phase: 'vote' });
    await sleep(1500);
    const dots = writers.length * 5;
    log(`  costs: ${dots} dots`);
    c0 = cpuMs(server.pid);
    t0 = mono();
    await Promise.all(
      Array.from({ length: dots }, async (_, k) => {
        await at(t0 + k * 25);
        const wi = k % writers.length;
        await cmd(writers[wi], { type: 'vote.change', noteId: ids[(wi * 5 + Math.floor(k / writers.length)) % ids.length], delta: 1 });
      }),
    );
    await sleep(1500);
    const dotMs = (cpuMs(server.pid) - c0 - idle(t0)) / dots;
    return {
      sockets: n + 1,
      joinMs: round(joinMs, 2),
      noteMs: round(noteMs, 3),
      dotMs: round(dotMs, 3),
      idleMsPerS: round(idleMsPerS, 1),
      notes: total,
      dots,
    };
  } catch (err) {
    throw new Error(`costs with ${n} sockets: ${(err as Error).message}\n--- server output ---\n${server.log()}`, { cause: err });
  } finally {
    for (const c of phones) c.close();
    await server.stop();
  }
}
