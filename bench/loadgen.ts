import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as Y from 'yjs';
import { at, mono, sleep } from './clock.ts';
import { BenchClient, docDigest, Tracker, type Ack, type Replay } from './client.ts';
import type { Final, FromWorker, Joined, Sent, Settled, ToWorker, Voted } from './ipc.ts';
import { playNotes, type PlanOutcome } from './plan.ts';

/**
 * A load-generator process: a share of the run's phones, driven step by step by the
 * orchestrator over IPC. Every start time it gets is on the shared monotonic clock
 * (bench/clock.ts), so all processes act together.
 */

// Never outlive the orchestrator, and never run forever.
process.on('disconnect', () => process.exit(0));
setTimeout(() => process.exit(3), 60 * 60_000).unref();

const tracker = new Tracker();
/** How long this process's own loop was held up: a busy load generator delays what it measures. */
const stalls = monitorEventLoopDelay({ resolution: 10 });
const clients: BenchClient[] = [];
let phones: BenchClient[] = [];
let rooms = 0;
let start = 0;
let times: Map<string, number> | undefined;

const reply = (m: FromWorker) => process.send!(m);
const fromB64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

async function join(m: Extract<ToWorker, { t: 'join' }>): Promise<Joined> {
  rooms = m.joinAt.length;
  const failed: string[] = [];
  const joinMs: number[] = [];
  const updates = new Map(m.replay?.updates.map(([k, v]) => [k, fromB64(v)]));
  times = m.replay ? new Map(m.replay.times) : undefined;
  const replays = m.joinAt.map(
    (_, r): Replay | null => m.replay && { base: m.replay.base[r] ? fromB64(m.replay.base[r]!) : null, updates, times: times! },
  );
  await Promise.all(
    m.clients.map(async (spec) => {
      await at(m.joinAt[spec.room]);
      const c = new BenchClient(m.target, m.url, spec, tracker, replays[spec.room]);
      clients.push(c);
      try {
        joinMs.push(await c.join());
      } catch (err) {
        failed.push(String((err as Error).message ?? err));
      }
    }),
  );
  phones = clients.filter((c) => c.joinedAt > 0);
  const span = new Map<number, [number, number, number]>();
  for (const c of phones) {
    const s = span.get(c.spec.room) ?? [c.spec.room, Infinity, 0];
    s[1] = Math.min(s[1], c.joinStart);
    s[2] = Math.max(s[2], c.joinedAt);
    span.set(c.spec.room, s);
  }
  const joinedByRoom = new Map<number, number>();
  for (const c of phones) joinedByRoom.set(c.spec.room, (joinedByRoom.get(c.spec.room) ?? 0) + 1);
  return { t: 'joined', joinMs, span: [...span.values()], joinedByRoom: [...joinedByRoom], failed };
}

async function brainstorm(m: Extract<ToWorker, { t: 'brainstorm' }>): Promise<Sent> {
  const added = new Array<number>(rooms).fill(0);
  start = m.start;
  const out: PlanOutcome = { added: 0, edits: 0, refused: {} };
  at(m.start).then(() => stalls.enable());
  await Promise.all(
    phones.map(async (c) => {
      const mine: PlanOutcome = { added: 0, edits: 0, refused: out.refused };
      await playNotes(c, c.spec.notes, m.start, mine, times);
      added[c.spec.room] += mine.added;
      out.edits += mine.edits;
    }),
  );
  return { t: 'sent', added, edits: out.edits, refused: out.refused };
}

async function settle(m: Extract<ToWorker, { t: 'settle' }>): Promise<Settled> {
  const end = mono() + m.timeoutMs;
  const behindNow = () => phones.filter((c) => c.noteCount < m.expected[c.spec.room]).length;
  while (behindNow() > 0 && mono() < end) await sleep(50);
  stalls.disable();
  return {
    t: 'settled',
    sends: [...tracker.sends],
    emitted: [...tracker.emitted].map(([k, t]) => [k, t - start]),
    seen: [...tracker.seen].map(([tag, s]) => [tag, s.max, s.n]),
    acks: tracker.acks,
    behind: behindNow(),
    outOfOrder: tracker.outOfOrder,
    sequenced: tracker.sequenced,
    sequenceTimeouts: tracker.sequenceTimeouts,
    stallMs: stalls.max / 1e6,
  };
}

async function vote(m: Extract<ToWorker, { t: 'vote' }>): Promise<Voted> {
  const before = (tracker.acks['vote.change'] ?? []).length;
  const refused: Record<string, number> = {};
  const count = (res: Ack) => {
    if (!res.ok) refused[res.code] = (refused[res.code] ?? 0) + 1;
  };
  const tasks: Promise<void>[] = [];
  // A light phone has no replica to read the notes' ids from: it votes on those a full replica
  // of its room in this process holds (none there: it does not vote).
  const roomIds = new Map<number, string[]>();
  for (const c of phones) if (c.doc && !roomIds.has(c.spec.room)) roomIds.set(c.spec.room, [...c.doc.getMap('notes').keys()]);
  for (const c of phones) {
    const ids = c.doc ? [...c.doc.getMap('notes').keys()] : [...(roomIds.get(c.spec.room) ?? [])];
    for (let i = 0; i < m.dots && ids.length > 0; i++) {
      const noteId = ids.splice(Math.floor(Math.random() * ids.length), 1)[0];
      tasks.push(
        at(m.start + Math.random() * m.windowMs).then(async () => count(await c.command({ type: 'vote.change', noteId, delta: 1 }))),
      );
    }
  }
  await Promise.all(tasks);
  return { t: 'voted', acks: (tracker.acks['vote.change'] ?? []).slice(before), refused };
}

async function final(m: Extract<ToWorker, { t: 'final' }>): Promise<Final> {
  const end = mono() + m.timeoutMs;
  if (m.waitTally) while (phones.some((c) => c.tallyAt === null) && mono() < end) await sleep(20);
  const tallyAt = new Array<number | null>(rooms).fill(null);
  const docBytes = new Array<number | null>(rooms).fill(null);
  let bytes = 0;
  for (const c of phones) {
    const r = c.spec.room;
    if (c.tallyAt !== null) tallyAt[r] = Math.max(tallyAt[r] ?? 0, c.tallyAt);
    if (c.doc && docBytes[r] === null) docBytes[r] = Y.encodeStateAsUpdate(c.doc).length;
    bytes += c.bytesRead;
  }
  return {
    t: 'final',
    digests: phones.filter((c) => c.doc).map((c): [number, string] => [c.spec.room, docDigest(c.doc!)]),
    tallyAt,
    missingTally: m.waitTally ? phones.filter((c) => c.tallyAt === null).length : 0,
    bytes,
    participants: phones.length,
    docBytes,
  };
}

process.on('message', (m: ToWorker) => {
  const step = async (): Promise<FromWorker | null> => {
    switch (m.t) {
      case 'join':
        return join(m);
      case 'brainstorm':
        return brainstorm(m);
      case 'settle':
        return settle(m);
      case 'vote':
        return vote(m);
      case 'final':
        return final(m);
      case 'exit':
        for (const c of clients) c.close();
        setTimeout(() => process.exit(0), 200);
        return null;
    }
  };
  step().then(
    (r) => r && reply(r),
    (err) => reply({ t: 'error', message: String((err as Error)?.stack ?? err) }),
  );
});
reply({ t: 'ready' });
