import * as Y from 'yjs';
import { at, mono, sleep } from './clock.ts';
import { BenchClient, phrase, Tracker, type Ack } from './client.ts';
import type { Final, FromWorker, Joined, Sent, Settled, ToWorker, Voted } from './ipc.ts';

/**
 * A load-generator process: a share of the run's phones, driven step by step by the
 * orchestrator over IPC. It has no clock of its own: every start time it gets is on the shared
 * monotonic clock (bench/clock.ts).
 */

// Never outlive the orchestrator, and never run forever.
process.on('disconnect', () => process.exit(0));
setTimeout(() => process.exit(3), 60 * 60_000).unref();

const tracker = new Tracker();
let clients: BenchClient[] = [];
let participants: BenchClient[] = [];

const reply = (m: FromWorker) => process.send!(m);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)];
const countInto = (into: Record<string, number>, res: Ack) => {
  if (!res.ok) into[res.code] = (into[res.code] ?? 0) + 1;
};

async function join(m: Extract<ToWorker, { t: 'join' }>): Promise<Joined> {
  const failed: string[] = [];
  const joinMs: number[] = [];
  await Promise.all(
    m.clients.map(async (spec) => {
      await at(m.joinAt[spec.room]);
      const c = new BenchClient(m.target, m.url, spec, tracker);
      clients.push(c);
      try {
        joinMs.push(await c.join());
      } catch (err) {
        failed.push(String((err as Error).message ?? err));
      }
    }),
  );
  participants = clients.filter((c) => c.joinedAt > 0);
  const span = new Map<number, [number, number, number]>();
  for (const c of participants) {
    const s = span.get(c.spec.room) ?? [c.spec.room, Infinity, 0];
    s[1] = Math.min(s[1], c.joinStart);
    s[2] = Math.max(s[2], c.joinedAt);
    span.set(c.spec.room, s);
  }
  return { t: 'joined', joinMs, span: [...span.values()], failed };
}

async function brainstorm(m: Extract<ToWorker, { t: 'brainstorm' }>): Promise<Sent> {
  const rooms = Math.max(0, ...participants.map((c) => c.spec.room)) + 1;
  const added = new Array<number>(rooms).fill(0);
  const refused: Record<string, number> = {};
  let edits = 0;
  const tasks: Promise<void>[] = [];
  for (const c of participants) {
    for (let k = 0; k < c.spec.notes; k++) {
      const when = m.start + Math.random() * m.spreadMs;
      tasks.push(
        at(when).then(async () => {
          const res = await c.addNote(k, pick(m.bones), phrase());
          countInto(refused, res);
          if (res.ok) added[c.spec.room]++;
        }),
      );
      if (Math.random() < m.editShare) {
        tasks.push(
          at(when + m.editDelayMs * (0.5 + Math.random() / 2)).then(async () => {
            const res = await c.editNote(k, phrase());
            countInto(refused, res);
            if (res.ok) edits++;
          }),
        );
      }
    }
  }
  await Promise.all(tasks);
  return { t: 'sent', added, edits, refused };
}

async function settle(m: Extract<ToWorker, { t: 'settle' }>): Promise<Settled> {
  const end = mono() + m.timeoutMs;
  const behindNow = () => participants.filter((c) => c.noteCount < m.expected[c.spec.room]).length;
  while (behindNow() > 0 && mono() < end) await sleep(50);
  return {
    t: 'settled',
    sends: [...tracker.sends],
    seen: [...tracker.seen].map(([tag, s]) => [tag, s.max, s.n]),
    acks: tracker.acks,
    behind: behindNow(),
  };
}

async function vote(m: Extract<ToWorker, { t: 'vote' }>): Promise<Voted> {
  const before = (tracker.acks['vote.change'] ?? []).length;
  const refused: Record<string, number> = {};
  const tasks: Promise<void>[] = [];
  for (const c of participants) {
    const ids = [...c.doc!.getMap('notes').keys()];
    for (let i = 0; i < m.dots && ids.length > 0; i++) {
      const noteId = ids.splice(Math.floor(Math.random() * ids.length), 1)[0];
      tasks.push(
        at(m.start + Math.random() * m.windowMs).then(async () => {
          countInto(refused, await c.command({ type: 'vote.change', noteId, delta: 1 }));
        }),
      );
    }
  }
  await Promise.all(tasks);
  return { t: 'voted', acks: (tracker.acks['vote.change'] ?? []).slice(before), refused };
}

async function final(m: Extract<ToWorker, { t: 'final' }>): Promise<Final> {
  const end = mono() + m.timeoutMs;
  if (m.waitTally) while (participants.some((c) => c.tallyAt === null) && mono() < end) await sleep(20);
  const rooms = Math.max(0, ...participants.map((c) => c.spec.room)) + 1;
  const tallyAt = new Array<number | null>(rooms).fill(null);
  const docBytes = new Array<number | null>(rooms).fill(null);
  let bytes = 0;
  for (const c of participants) {
    const r = c.spec.room;
    if (c.tallyAt !== null) tallyAt[r] = Math.max(tallyAt[r] ?? 0, c.tallyAt);
    if (c.doc && docBytes[r] === null) docBytes[r] = Y.encodeStateAsUpdate(c.doc).length;
    bytes += c.bytesRead;
  }
  return {
    t: 'final',
    tallyAt,
    missingTally: m.waitTally ? participants.filter((c) => c.tallyAt === null).length : 0,
    bytes,
    participants: participants.length,
    docBytes,
  };
}

process.on('message', (m: ToWorker) => {
  const step = async (): Promise<FromWorker | null> => {
    switch (m.t) {
      case 'join': return join(m);
      case 'brainstorm': return brainstorm(m);
      case 'settle': return settle(m);
      case 'vote': return vote(m);
      case 'final': return final(m);
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
