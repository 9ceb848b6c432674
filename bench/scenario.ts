import { makeTemplate } from '../shared/templates/index.ts';
import { at, mono, sleep } from './clock.ts';
import { BenchClient, Tracker } from './client.ts';
import type { Options, Scenario } from './config.ts';
import type { ClientSpec, Final, Target, ToWorker } from './ipc.ts';
import { Monitor, type Window } from './monitor.ts';
import { startOurs, startRelay, type ServerHandle } from './servers.ts';
import { round, summarize, type Pct } from './stats.ts';
import { Workers } from './workers.ts';

/** What one server did under one scenario's script. */
export interface TargetResult {
  target: Target;
  participants: number;
  joinFailures: number;
  notesAccepted: number;
  edits: number;
  votes: number;
  refused: Record<string, number>;
  /** Note -> every other screen in its room. */
  noteToAll: Pct;
  /** Accepted notes that did not reach every screen within the settle time. */
  incomplete: number;
  ack: Pct | null;
  ackByType: Record<string, Pct>;
  join: Pct;
  /** Per room: first connect to last synced replica; the largest room value. */
  joinStormMs: number;
  reveal: Pct | null;
  missingTally: number;
  rssMbPeak: number;
  rssKbPerParticipant: number;
  bytesPerParticipant: number;
  docBytes: number | null;
  brainstorm: Window;
  whole: Window;
  serverCpuSeconds: number;
}

const BONES = makeTemplate('barriers').bones.map((b) => b.id);
const STEP_SLACK_MS = 60_000;

const mergeCounts = (into: Record<string, number>, add: Record<string, number>) => {
  for (const [k, n] of Object.entries(add)) into[k] = (into[k] ?? 0) + n;
};

async function createWorkshop(url: string, i: number): Promise<{ code: string; facilitatorKey: string }> {
  const res = await fetch(`${url}/api/workshops`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title: `Bench workshop ${i + 1}`, silent: false }),
  });
  if (res.status !== 201) throw new Error(`creating a workshop failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { code: string; facilitatorKey: string };
}

/** Run one scenario against one server: fresh server, fresh load generators. */
export async function runTarget(sc: Scenario, target: Target, o: Options, log: (s: string) => void): Promise<TargetResult> {
  const server: ServerHandle = target === 'ours' ? await startOurs({ cpuProfDir: o.cpuProf ?? undefined }) : await startRelay();
  let workers: Workers | null = null;
  const ctl: BenchClient[] = [];
  const monitor = new Monitor(server.pid, () => workers?.pids ?? []);
  try {
    const tracker = new Tracker();
    // One facilitator per workshop (ours) or one passive screen per room (floors): same client count.
    for (let r = 0; r < sc.rooms; r++) {
      const spec: ClientSpec = { g: -1 - r, room: r, code: `room-${r}`, notes: 0 };
      if (target === 'ours') Object.assign(spec, await createWorkshop(server.url, r).then((w) => ({ code: w.code, key: w.facilitatorKey })));
      ctl.push(new BenchClient(target, server.url, spec, tracker));
    }
    await Promise.all(ctl.map((c) => c.join()));
    workers = await Workers.start(o.workers);
    monitor.start();
    await sleep(500);
    monitor.mark('start');
    const rssBefore = monitor.rssKb();

    // Join: every participant of a room at once; rooms spread over the join window.
    const n = sc.rooms * sc.perRoom;
    const specs: ClientSpec[][] = workers.procs.map(() => []);
    for (let g = 0; g < n; g++) {
      const notes = Math.floor(sc.notes / n) + (g < sc.notes % n ? 1 : 0);
      specs[g % o.workers].push({ g, room: Math.floor(g / sc.perRoom), code: ctl[Math.floor(g / sc.perRoom)].spec.code, notes });
    }
    const t0 = mono() + 300;
    const joinAt = ctl.map((_, r) => t0 + (sc.rooms > 1 ? (r * sc.joinWindowMs) / sc.rooms : 0));
    log(`  ${target}: ${n} participants joining`);
    const joined = await workers.all(
      specs.map((clients): ToWorker => ({ t: 'join', target, url: server.url, clients, joinAt })),
      'joined',
      sc.joinWindowMs + STEP_SLACK_MS,
    );
    const failures = joined.flatMap((j) => j.failed);
    if (failures.length) log(`  ${target}: ${failures.length} joins failed, e.g. ${failures[0]}`);
    const stormByRoom = new Map<number, [number, number]>();
    for (const [room, first, last] of joined.flatMap((j) => j.span)) {
      const s = stormByRoom.get(room) ?? [Infinity, 0];
      stormByRoom.set(room, [Math.min(s[0], first), Math.max(s[1], last)]);
    }
    await sleep(1000);
    const rssJoined = monitor.rssKb();

    // Brainstorm: notes spread over the window, some edited a few seconds later.
    if (target === 'ours') await phase(ctl, 'brainstorm');
    const editDelayMs = Math.min(5000, sc.brainstormMs / 3);
    const start = mono() + 300;
    log(`  ${target}: brainstorming ${sc.notes} notes over ${sc.brainstormMs / 1000} s`);
    const sentP = workers.all({ t: 'brainstorm', start, spreadMs: sc.brainstormMs - editDelayMs, editShare: o.editShare, editDelayMs, bones: BONES }, 'sent', sc.brainstormMs + STEP_SLACK_MS);
    await at(start);
    monitor.mark('brainstorm');
    const sent = await sentP;
    monitor.mark('brainstorm-end');
    const expected = new Array<number>(sc.rooms).fill(0);
    const refused: Record<string, number> = {};
    for (const s of sent) {
      s.added.forEach((a, r) => (expected[r] += a));
      mergeCounts(refused, s.refused);
    }
    const settleMs = 20_000;
    const settledP = workers.all({ t: 'settle', expected, timeoutMs: settleMs }, 'settled', settleMs + STEP_SLACK_MS);
    const settleEnd = mono() + settleMs;
    while (ctl.some((c) => c.noteCount < expected[c.spec.room]) && mono() < settleEnd) await sleep(50);
    const settled = await settledP;

    // Note -> every screen: the latest arrival over all processes, minus the send time.
    const seen = new Map<string, { max: number; n: number }>();
    const add = (tag: string, max: number, k: number) => {
      const s = seen.get(tag);
      if (s) {
        s.max = Math.max(s.max, max);
        s.n += k;
      } else seen.set(tag, { max, n: k });
    };
    for (const [tag, s] of tracker.seen) add(tag, s.max, s.n);
    for (const s of settled) for (const [tag, max, k] of s.seen) add(tag, max, k);
    const latencies: number[] = [];
    let incomplete = 0;
    for (const s of settled) {
      for (const [tag, t] of s.sends) {
        const v = seen.get(tag);
        // Everyone in the room but the sender: the other participants and the facilitator.
        if (v && v.n >= sc.perRoom) latencies.push(v.max - t);
        else incomplete++;
      }
    }
    const acks: Record<string, number[]> = {};
    for (const s of settled) for (const [type, xs] of Object.entries(s.acks)) (acks[type] ??= []).push(...xs);

    // Vote and reveal (ours only: the floors have nothing to compare them with).
    let votes = 0;
    const revealMs: number[] = [];
    let finals: Final[];
    if (target === 'ours') {
      await phase(ctl, 'vote');
      log(`  ${target}: voting, ${o.dots} dots each over ${o.voteS} s`);
      const vStart = mono() + 300;
      const votedP = workers.all({ t: 'vote', start: vStart, windowMs: o.voteS * 1000, dots: o.dots }, 'voted', o.voteS * 1000 + STEP_SLACK_MS);
      await at(vStart);
      monitor.mark('vote');
      const voted = await votedP;
      monitor.mark('vote-end');
      for (const v of voted) {
        (acks['vote.change'] ??= []).push(...v.acks);
        votes += v.acks.length;
        mergeCounts(refused, v.refused);
      }
      await sleep(500);
      const sentAt = await Promise.all(
        ctl.map(async (c) => {
          const t = mono();
          const res = await c.command({ type: 'phase.set', phase: 'reveal' });
          if (!res.ok) throw new Error(`reveal refused: ${res.code}`);
          return t;
        }),
      );
      finals = await workers.all({ t: 'final', waitTally: true, timeoutMs: 20_000 }, 'final', 20_000 + STEP_SLACK_MS);
      for (let r = 0; r < sc.rooms; r++) {
        // Screens that never showed the tally are counted in missingTally, not here.
        const last = Math.max(ctl[r].tallyAt ?? -Infinity, ...finals.map((f) => f.tallyAt[r] ?? -Infinity));
        revealMs.push(last - sentAt[r]);
      }
    } else {
      finals = await workers.all({ t: 'final', waitTally: false, timeoutMs: 0 }, 'final', STEP_SLACK_MS);
    }
    monitor.mark('end');
    const whole = monitor.window('start', 'end');
    const brainstorm = monitor.window('brainstorm', 'brainstorm-end');
    const participants = finals.reduce((a, f) => a + f.participants, 0);
    const docSizes = finals.flatMap((f) => f.docBytes).filter((d): d is number => d !== null);
    const ackAll = Object.values(acks).flat();
    return {
      target,
      participants,
      joinFailures: failures.length,
      notesAccepted: expected.reduce((a, b) => a + b, 0),
      edits: sent.reduce((a, s) => a + s.edits, 0),
      votes,
      refused,
      noteToAll: summarize(latencies),
      incomplete,
      ack: ackAll.length ? summarize(ackAll) : null,
      ackByType: Object.fromEntries(Object.entries(acks).map(([k, xs]) => [k, summarize(xs)])),
      join: summarize(joined.flatMap((j) => j.joinMs)),
      joinStormMs: round(Math.max(...[...stormByRoom.values()].map(([a, b]) => b - a))),
      reveal: revealMs.length ? summarize(revealMs) : null,
      missingTally: finals.reduce((a, f) => a + f.missingTally, 0) + ctl.filter((c) => target === 'ours' && c.tallyAt === null).length,
      rssMbPeak: round(monitor.peakRssKb() / 1024),
      rssKbPerParticipant: round((rssJoined - rssBefore) / Math.max(1, n)),
      bytesPerParticipant: Math.round(finals.reduce((a, f) => a + f.bytes, 0) / Math.max(1, participants)),
      docBytes: docSizes.length ? Math.round(docSizes.reduce((a, b) => a + b, 0) / docSizes.length) : null,
      brainstorm,
      whole,
      serverCpuSeconds: round(monitor.samples[monitor.marks.get('end')!].server - monitor.samples[monitor.marks.get('start')!].server, 2),
    };
  } catch (err) {
    throw new Error(`${sc.name} / ${target}: ${(err as Error).message}\n--- server output ---\n${server.log()}`);
  } finally {
    monitor.stop();
    for (const c of ctl) c.close();
    await workers?.stop();
    await server.stop();
  }
}

/** The facilitator of every workshop moves it to a phase; all must accept. */
async function phase(ctl: BenchClient[], to: string): Promise<void> {
  const res = await Promise.all(ctl.map((c) => c.command({ type: 'phase.set', phase: to })));
  const bad = res.find((r) => !r.ok);
  if (bad && !bad.ok) throw new Error(`phase.set ${to} refused: ${bad.code}`);
}
