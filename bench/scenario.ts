import * as Y from 'yjs';
import { docParts } from '../shared/doc.ts';
import { makeTemplate } from '../shared/templates/index.ts';
import { at, mono, sleep } from './clock.ts';
import { addKey, BenchClient, docDigest, editKey, JOIN_TIMEOUT_MS, Tracker, type Replay } from './client.ts';
import { addressOf } from './digest.ts';
import type { Options, Scenario } from './config.ts';
import type { ClientSpec, Final, ReplayWire, Settled, Target, ToWorker } from './ipc.ts';
import { Monitor, type Window } from './monitor.ts';
import { planNotes, playNotes, type NotePlan, type PlanOutcome } from './plan.ts';
import { startOurs, startRelay, type ServerHandle } from './servers.ts';
import { round } from './stats.ts';
import { Workers } from './workers.ts';

/** What one server did under one scenario's script (pooled over rounds by `pool`). */
export interface TargetResult {
  target: Target;
  rounds: number;
  participants: number;
  joinFailures: number;
  notesAccepted: number;
  edits: number;
  votes: number;
  refused: Record<string, number>;
  /** Raw samples, in ms. */
  samples: {
    /** Note -> every other screen in its room. */
    noteToAll: number[];
    /** Command -> ack, by command type, from the phones. */
    acks: Record<string, number[]>;
    /** Acks of the probe notes, sent from a quiet process. */
    probe: number[];
    /** Connect -> synced replica. */
    join: number[];
    /** Facilitator's reveal -> the tally on every screen, per room. */
    reveal: number[];
  };
  /** Accepted notes that did not reach every screen within the settle time. */
  incomplete: number;
  /** Yjs floor: updates that overtook the one they build on, so Yjs held them back. */
  outOfOrder: number;
  /** Yjs floor: sends that first waited for an earlier update (see BenchClient.#inOrder). */
  sequenced: number;
  sequenceTimeouts: number;
  /** Per room: first connect to last synced replica; the largest room value. */
  joinStormMs: number;
  missingTally: number;
  rssMbPeak: number;
  rssKbPerParticipant: number;
  bytesPerParticipant: number;
  docBytes: number | null;
  brainstorm: Window;
  /** Server CPU ms per participant for the joins (from the first connect to 1 s after the last). */
  joinCpuMs: number;
  /** Longest event-loop delays during the brainstorm: the server's, and the worst load generator's. */
  stalls: { serverMs: number; server100: number; loadgenMs: number };
  serverCpuSeconds: number;
  /** Full replicas (the sample, the facilitators) compared with a fresh copy of the server's document, and those that differed. */
  replicas: { checked: number; diverged: number };
}

/** Several rounds of the same target as one result: samples pooled, sizes averaged, peaks kept. */
export function pool(rs: TargetResult[]): TargetResult {
  if (rs.length === 1) return rs[0];
  const sum = (f: (r: TargetResult) => number) => rs.reduce((a, r) => a + f(r), 0);
  const mean = (f: (r: TargetResult) => number) => sum(f) / rs.length;
  const cat = (f: (r: TargetResult) => number[]) => rs.flatMap(f);
  const acks: Record<string, number[]> = {};
  const refused: Record<string, number> = {};
  for (const r of rs) {
    for (const [k, xs] of Object.entries(r.samples.acks)) (acks[k] ??= []).push(...xs);
    mergeCounts(refused, r.refused);
  }
  const docs = rs.map((r) => r.docBytes).filter((d): d is number => d !== null);
  return {
    target: rs[0].target,
    rounds: rs.length,
    participants: rs[0].participants,
    joinFailures: sum((r) => r.joinFailures),
    notesAccepted: sum((r) => r.notesAccepted),
    edits: sum((r) => r.edits),
    votes: sum((r) => r.votes),
    refused,
    samples: {
      noteToAll: cat((r) => r.samples.noteToAll),
      acks,
      probe: cat((r) => r.samples.probe),
      join: cat((r) => r.samples.join),
      reveal: cat((r) => r.samples.reveal),
    },
    incomplete: sum((r) => r.incomplete),
    outOfOrder: sum((r) => r.outOfOrder),
    sequenced: sum((r) => r.sequenced),
    sequenceTimeouts: sum((r) => r.sequenceTimeouts),
    joinStormMs: Math.max(...rs.map((r) => r.joinStormMs)),
    missingTally: sum((r) => r.missingTally),
    rssMbPeak: Math.max(...rs.map((r) => r.rssMbPeak)),
    rssKbPerParticipant: round(mean((r) => r.rssKbPerParticipant)),
    bytesPerParticipant: Math.round(mean((r) => r.bytesPerParticipant)),
    docBytes: docs.length ? Math.round(docs.reduce((a, b) => a + b, 0) / docs.length) : null,
    brainstorm: {
      seconds: mean((r) => r.brainstorm.seconds),
      serverPct: mean((r) => r.brainstorm.serverPct),
      serverPeakPct: Math.max(...rs.map((r) => r.brainstorm.serverPeakPct)),
      loadgenCores: mean((r) => r.brainstorm.loadgenCores),
      otherCores: mean((r) => r.brainstorm.otherCores),
    },
    joinCpuMs: round(
      mean((r) => r.joinCpuMs),
      2,
    ),
    stalls: {
      serverMs: Math.max(...rs.map((r) => r.stalls.serverMs)),
      server100: sum((r) => r.stalls.server100),
      loadgenMs: Math.max(...rs.map((r) => r.stalls.loadgenMs)),
    },
    serverCpuSeconds: round(
      mean((r) => r.serverCpuSeconds),
      2,
    ),
    replicas: { checked: sum((r) => r.replicas.checked), diverged: sum((r) => r.replicas.diverged) },
  };
}

/** One scenario's script, the same for every server. */
export interface ScenarioPlan {
  /** Participant g's notes (its room is g / perRoom). */
  phones: NotePlan[][];
  /** Per room: the facilitator's probe notes. */
  probes: NotePlan[][];
}

/** What our server broadcast, for the floors to replay byte for byte. */
export interface Recording {
  base: Array<Uint8Array | null>;
  updates: Map<string, Uint8Array>;
  /** addKey/editKey -> when ours sent it, ms after the brainstorm began. */
  times: Map<string, number>;
}

const BONES = makeTemplate('barriers').bones.map((b) => b.id);
const STEP_SLACK_MS = 60_000;
const SETTLE_MS = 20_000;

export function makePlan(sc: Scenario, o: Options): ScenarioPlan {
  const editDelayMs = Math.min(5000, sc.brainstormMs / 3);
  const shape = { bones: BONES, spreadMs: sc.brainstormMs - editDelayMs, editDelayMs, editShare: o.editShare };
  const n = sc.rooms * sc.perRoom;
  // About one probe a second in all, spread evenly over the rooms and the brainstorm.
  const probeCount = Math.max(20, Math.round(sc.brainstormMs / 1000));
  const probeTimes = Array.from({ length: probeCount }, (_, i) => ((i + 0.5) * shape.spreadMs) / probeCount);
  return {
    phones: Array.from({ length: n }, (_, g) => {
      // Every room gets its share of the notes, and every participant in it theirs.
      const room = Math.floor(g / sc.perRoom);
      const inRoom = Math.floor(sc.notes / sc.rooms) + (room < sc.notes % sc.rooms ? 1 : 0);
      const i = g % sc.perRoom;
      return planNotes(Math.floor(inRoom / sc.perRoom) + (i < inRoom % sc.perRoom ? 1 : 0), shape);
    }),
    probes: Array.from({ length: sc.rooms }, (_, r) => {
      const times = probeTimes.filter((_, i) => i % sc.rooms === r);
      return planNotes(times.length, { ...shape, editShare: 0 }, times);
    }),
  };
}

const mergeCounts = (into: Record<string, number>, add: Record<string, number>) => {
  for (const [k, n] of Object.entries(add)) into[k] = (into[k] ?? 0) + n;
};
const b64 = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength).toString('base64');

/**
 * Each facilitator creates their workshop from an address of their own (their laptop): one
 * address may create 20 at once (server/guard/address-limits.ts), and many rooms has 40.
 */
async function createWorkshop(url: string, i: number): Promise<{ code: string; key: string }> {
  const res = await fetch(`${url}/api/workshops`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': addressOf(-1 - i) },
    body: JSON.stringify({ title: `Bench workshop ${i + 1}`, silent: false }),
  });
  if (res.status !== 201) throw new Error(`creating a workshop failed: ${res.status} ${await res.text()}`);
  const w = (await res.json()) as { code: string; facilitatorKey: string };
  return { code: w.code, key: w.facilitatorKey };
}

/**
 * Run one scenario against one server: a fresh server, fresh load generators, the scenario's
 * script. Ours records what it broadcast (`recording` is filled); the floors replay it.
 */
export async function runTarget(
  sc: Scenario,
  target: Target,
  o: Options,
  plan: ScenarioPlan,
  recording: Recording,
  log: (s: string) => void,
): Promise<TargetResult> {
  const server: ServerHandle =
    target === 'ours'
      ? await startOurs({ cpuProfDir: o.cpuProf ?? undefined, dataRoot: o.dataRoot ?? undefined, entry: o.server })
      : await startRelay();
  let workers: Workers | null = null;
  const ctl: BenchClient[] = [];
  const monitor = new Monitor(server.pid, () => workers?.pids ?? []);
  try {
    const tracker = new Tracker();
    const replay: Replay | null = target === 'ours' ? null : { base: null, updates: recording.updates, times: recording.times };
    // One facilitator per workshop (ours) or one passive screen per room (floors): the same
    // number of clients, and both write the probe notes.
    for (let r = 0; r < sc.rooms; r++) {
      const where = target === 'ours' ? await createWorkshop(server.url, r) : { code: `room-${r}` };
      const spec: ClientSpec = { g: -1 - r, room: r, ...where, notes: plan.probes[r], spread: sc.spread, text: sc.textFloor };
      const c = new BenchClient(target, server.url, spec, tracker, replay && { ...replay, base: recording.base[r] });
      if (target === 'ours') c.recorded = new Map();
      ctl.push(c);
    }
    // Many facilitators: a few at a time, as their workshops would open during a day.
    for (let i = 0; i < ctl.length; i += 20) await Promise.all(ctl.slice(i, i + 20).map((c) => c.join()));
    workers = await Workers.start(o.workers);
    monitor.start();
    await sleep(500);
    monitor.mark('start');
    const rssBefore = monitor.rssKb();

    // Join: every participant of a room at once; rooms spread over the join window.
    const n = sc.rooms * sc.perRoom;
    const specs: ClientSpec[][] = workers.procs.map(() => []);
    for (let g = 0; g < n; g++) {
      const room = Math.floor(g / sc.perRoom);
      const light = sc.fullPerRoom > 0 && g % sc.perRoom >= sc.fullPerRoom;
      specs[g % o.workers].push({
        g,
        room,
        code: ctl[room].spec.code,
        notes: plan.phones[g],
        light,
        spread: sc.spread,
        text: sc.textFloor,
      });
    }
    const wire = (mine: ClientSpec[]): ReplayWire | null => {
      if (target === 'ours') return null;
      const keys = mine.flatMap((s) => s.notes.flatMap((p) => [addKey(`${s.g}.${p.k}`), editKey(`${s.g}.${p.k}`)]));
      return {
        base: recording.base.map((b) => (b ? b64(b) : null)),
        updates: keys.filter((k) => recording.updates.has(k)).map((k) => [k, b64(recording.updates.get(k)!)]),
        times: keys.filter((k) => recording.times.has(k)).map((k) => [k, recording.times.get(k)!]),
      };
    };
    const t0 = mono() + 300;
    const joinAt = ctl.map((_, r) => t0 + (sc.rooms > 1 ? (r * sc.joinWindowMs) / sc.rooms : 0));
    log(`  ${target}: ${n} participants joining`);
    const joined = await workers.all(
      specs.map((clients): ToWorker => ({ t: 'join', target, url: server.url, clients, joinAt, replay: wire(clients) })),
      'joined',
      // A phone's join may take JOIN_TIMEOUT_MS (bench/client.ts) before it counts as failed.
      sc.joinWindowMs + JOIN_TIMEOUT_MS + STEP_SLACK_MS,
    );
    const failures = joined.flatMap((j) => j.failed);
    if (failures.length) log(`  ${target}: ${failures.length} joins failed, e.g. ${failures[0]}`);
    const stormByRoom = new Map<number, [number, number]>();
    for (const [room, first, last] of joined.flatMap((j) => j.span)) {
      const s = stormByRoom.get(room) ?? [Infinity, 0];
      stormByRoom.set(room, [Math.min(s[0], first), Math.max(s[1], last)]);
    }
    await sleep(1000);
    monitor.mark('joined');
    const rssJoined = monitor.rssKb();

    // Brainstorm: everyone plays the script; the facilitators add the probe notes.
    if (target === 'ours') {
      await phase(ctl, 'brainstorm');
      ctl.forEach((c, r) => (recording.base[r] = Y.encodeStateAsUpdate(c.doc!)));
    }
    const start = mono() + 300;
    log(`  ${target}: brainstorming ${sc.notes} notes over ${sc.brainstormMs / 1000} s`);
    const sentP = workers.all({ t: 'brainstorm', start }, 'sent', sc.brainstormMs + STEP_SLACK_MS);
    await at(start);
    monitor.mark('brainstorm');
    const probed = ctl.map(async (c) => {
      const out: PlanOutcome = { added: 0, edits: 0, refused: {} };
      await playNotes(c, c.spec.notes, start, out, replay?.times);
      return out;
    });
    const sent = await sentP;
    const probes = await Promise.all(probed);
    monitor.mark('brainstorm-end');
    const expected = probes.map((p) => p.added);
    const refused: Record<string, number> = {};
    for (const s of sent) {
      s.added.forEach((a, r) => (expected[r] += a));
      mergeCounts(refused, s.refused);
    }
    for (const p of probes) mergeCounts(refused, p.refused);
    const stalls = server.stalls(monitor.timeOf('brainstorm'), monitor.timeOf('brainstorm-end'));
    const settledP = workers.all({ t: 'settle', expected, timeoutMs: SETTLE_MS }, 'settled', SETTLE_MS + STEP_SLACK_MS);
    const settleEnd = mono() + SETTLE_MS;
    while (ctl.some((c) => c.noteCount < expected[c.spec.room]) && mono() < settleEnd) await sleep(50);
    const settled = await settledP;
    // Every screen that joined: the room's joined participants (all but the sender, plus the facilitator).
    const screens = ctl.map(() => 0);
    for (const j of joined) for (const [room, n] of j.joinedByRoom) screens[room] += n;
    const { latencies, incomplete } = noteLatencies(tracker, settled, (g) => screens[g < 0 ? -1 - g : Math.floor(g / sc.perRoom)]);
    const acks: Record<string, number[]> = {};
    for (const s of settled) for (const [type, xs] of Object.entries(s.acks)) (acks[type] ??= []).push(...xs);
    if (target === 'ours') {
      for (const c of ctl) for (const [k, u] of c.recorded!) recording.updates.set(k, u);
      for (const [k, t] of tracker.emitted) recording.times.set(k, t - start);
      for (const s of settled) for (const [k, t] of s.emitted) recording.times.set(k, t);
      const gaps = recordingGaps(ctl, recording.base);
      if (gaps) log(`  ${target}: the recording misses ${gaps} updates; the Yjs floor will wait for them`);
    }

    // Vote and reveal (ours only: the floors have nothing to compare them with).
    let votes = 0;
    const revealMs: number[] = [];
    let finals: Final[];
    if (target === 'ours') {
      await phase(ctl, 'vote');
      log(`  ${target}: voting, ${sc.dots} dots each over ${sc.voteMs / 1000} s`);
      const vStart = mono() + 300;
      const votedP = workers.all({ t: 'vote', start: vStart, windowMs: sc.voteMs, dots: sc.dots }, 'voted', sc.voteMs + STEP_SLACK_MS);
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
      finals = await workers.all({ t: 'final', waitTally: true, timeoutMs: SETTLE_MS }, 'final', SETTLE_MS + STEP_SLACK_MS);
      for (let r = 0; r < sc.rooms; r++) {
        // Screens that never showed the tally are counted in missingTally, not here.
        const last = Math.max(ctl[r].tallyAt ?? -Infinity, ...finals.map((f) => f.tallyAt[r] ?? -Infinity));
        revealMs.push(last - sentAt[r]);
      }
    } else {
      finals = await workers.all({ t: 'final', waitTally: false, timeoutMs: 0 }, 'final', STEP_SLACK_MS);
    }
    monitor.mark('end');
    const replicas = target === 'ours' ? await converged(server.url, ctl, finals, sc.spread) : { checked: 0, diverged: 0 };
    if (replicas.diverged) log(`  ${target}: ${replicas.diverged} of ${replicas.checked} replicas differ from the server's document`);
    const participants = finals.reduce((a, f) => a + f.participants, 0);
    const docSizes = finals.flatMap((f) => f.docBytes).filter((d): d is number => d !== null);
    return {
      target,
      rounds: 1,
      participants,
      joinFailures: failures.length,
      notesAccepted: expected.reduce((a, b) => a + b, 0),
      edits: sent.reduce((a, s) => a + s.edits, 0),
      votes,
      refused,
      samples: {
        noteToAll: latencies,
        acks,
        probe: tracker.acks['note.add'] ?? [],
        join: joined.flatMap((j) => j.joinMs),
        reveal: revealMs,
      },
      incomplete,
      outOfOrder: settled.reduce((a, s) => a + s.outOfOrder, 0),
      sequenced: settled.reduce((a, s) => a + s.sequenced, 0) + tracker.sequenced,
      sequenceTimeouts: settled.reduce((a, s) => a + s.sequenceTimeouts, 0) + tracker.sequenceTimeouts,
      joinStormMs: round(Math.max(...[...stormByRoom.values()].map(([a, b]) => b - a))),
      missingTally: finals.reduce((a, f) => a + f.missingTally, 0) + ctl.filter((c) => target === 'ours' && c.tallyAt === null).length,
      rssMbPeak: round(monitor.peakRssKb() / 1024),
      rssKbPerParticipant: round((rssJoined - rssBefore) / Math.max(1, n)),
      bytesPerParticipant: Math.round(finals.reduce((a, f) => a + f.bytes, 0) / Math.max(1, participants)),
      docBytes: docSizes.length ? Math.round(docSizes.reduce((a, b) => a + b, 0) / docSizes.length) : null,
      brainstorm: monitor.window('brainstorm', 'brainstorm-end'),
      joinCpuMs: round((monitor.cpuBetween('start', 'joined') * 1000) / Math.max(1, n), 2),
      stalls: { serverMs: stalls.maxMs, server100: stalls.over100, loadgenMs: round(Math.max(...settled.map((s) => s.stallMs))) },
      serverCpuSeconds: round(monitor.samples[monitor.marks.get('end')!].server - monitor.samples[monitor.marks.get('start')!].server, 2),
      replicas,
    };
  } catch (err) {
    throw new Error(`${sc.name} / ${target}: ${(err as Error).message}\n--- server output ---\n${server.log()}`, { cause: err });
  } finally {
    monitor.stop();
    for (const c of ctl) c.close();
    await workers?.stop();
    await server.stop();
  }
}

/**
 * Note -> every screen: for each accepted note, the latest arrival over all processes minus its
 * send time, counted only if it reached everyone in the room but its sender (the other
 * participants and the facilitator: as many screens as the room has joined participants; a
 * phone whose join failed is not waited for, and the failures are reported).
 */
function noteLatencies(
  tracker: Tracker,
  settled: Settled[],
  screensFor: (sender: number) => number,
): { latencies: number[]; incomplete: number } {
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
  for (const sends of [[...tracker.sends], ...settled.map((s) => s.sends)]) {
    for (const [tag, t] of sends) {
      const v = seen.get(tag);
      if (v && v.n >= screensFor(Number(tag.slice(0, tag.indexOf('.'))))) latencies.push(v.max - t);
      else incomplete++;
    }
  }
  return { latencies, incomplete };
}

/** Updates of the brainstorm our server broadcast but the recording lacks (should be none). */
function recordingGaps(ctl: BenchClient[], base: Array<Uint8Array | null>): number {
  let gaps = 0;
  ctl.forEach((c, r) => {
    const spans = [...c.recorded!.values()]
      .map((u) => Y.parseUpdateMeta(u))
      .flatMap((m) => [...m.from].map(([client, from]) => ({ client, from, to: m.to.get(client)! })));
    const next = new Map<number, number>();
    if (base[r]) for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVectorFromUpdate(base[r]!))) next.set(client, clock);
    for (const s of spans.sort((a, b) => a.from - b.from)) {
      if ((next.get(s.client) ?? 0) < s.from) gaps++;
      next.set(s.client, Math.max(next.get(s.client) ?? 0, s.to));
    }
  });
  return gaps;
}

/**
 * Convergence: every full replica (the load generators' sample and the facilitators') against
 * the server's document, as a fresh join receives it (the facilitator's link, a new socket, an
 * empty state vector), compared by content (bench/digest.ts).
 */
async function converged(
  url: string,
  ctl: BenchClient[],
  finals: Final[],
  spread: boolean,
): Promise<{ checked: number; diverged: number }> {
  await sleep(500);
  const truth: string[] = [];
  for (let i = 0; i < ctl.length; i += 20) {
    const batch = ctl.slice(i, i + 20).map(async (c) => {
      const fresh = new BenchClient('ours', url, { ...c.spec, g: c.spec.g - 1000, notes: [], spread }, new Tracker());
      try {
        await fresh.join();
        truth[c.spec.room] = docDigest(fresh.doc!);
      } finally {
        fresh.close();
      }
    });
    await Promise.all(batch);
  }
  const all: Array<[number, string]> = [
    ...finals.flatMap((f) => f.digests),
    ...ctl.map((c): [number, string] => [c.spec.room, docDigest(c.doc!)]),
  ];
  return { checked: all.length, diverged: all.filter(([room, d]) => truth[room] !== d).length };
}

/** The facilitator of every workshop moves it to a phase; all must accept. */
async function phase(ctl: BenchClient[], to: string): Promise<void> {
  const res = await Promise.all(ctl.map((c) => c.command({ type: 'phase.set', phase: to })));
  const bad = res.find((r) => !r.ok);
  if (bad && !bad.ok) throw new Error(`phase.set ${to} refused: ${bad.code}`);
  // The server acknowledges before it broadcasts: wait for the change to reach every replica,
  // since the brainstorm's recording starts from what the facilitators' replicas hold.
  const end = mono() + 10_000;
  while (ctl.some((c) => c.doc && docParts(c.doc).meta.get('phase') !== to)) {
    if (mono() > end) throw new Error(`phase ${to} did not reach the facilitators' replicas`);
    await sleep(5);
  }
}
