import type { ControlCounts } from '../../shared/doc.ts';
import type { Proposal, SelfView, Stats } from '../../shared/events.ts';
import type { ControlTag } from '../../shared/limits.ts';
import { rankNotes } from '../../shared/ranking.ts';
import { reviewsSeen } from './adversary.ts';
import { TestClient } from './client.ts';
import { sleep, until } from './wait.ts';
import { createWorkshop } from './server.ts';

/**
 * The attribution attack of issue 22, as a scripted workshop and the adversary's arithmetic.
 *
 * A room of participants writes held notes in a silent brainstorm, sends action proposals and
 * answers "within our control?", at a human pace with pauses. The adversary is the facilitator
 * with a co-facilitator: they capture every frame their pages receive, know who tapped what and
 * in which order (they watch the room), and try everything the server lets them: showing
 * proposals and answers as soon as it allows. From that alone they name authors: a note is
 * attributed when only one person could have written it, given the batch it came in, the taps
 * before it and every count that moved. The script knows the truth, so every attribution is
 * checked.
 */

export const BONES = ['people', 'structures', 'processes', 'resources', 'environment'];
const TAGS: ControlTag[] = ['control', 'influence', 'outside'];

/** A seeded random source, so a run can be repeated. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Tap {
  who: number;
  kind: 'note' | 'proposal' | 'answer';
  /** When the adversary saw the phone tapped (just before it sent). */
  at: number;
  /** For notes and proposals: what the tap made. */
  id?: string;
  bone?: string;
}

export interface SessionOptions {
  seed: number;
  people: number;
  notes: number;
  proposals: number;
  answerers: number;
  /** Every pause in the script is multiplied by this (1: a human pace; the server's timing follows the same scale). */
  scale: number;
  /** Longer than any release takes: quiet time and jitter, and a margin. */
  settleMs: number;
}

export interface Session {
  owner: TestClient;
  co: TestClient;
  taps: Tap[];
  /** Ground truth. */
  author: Map<string, number>;
  /** The adversary's attempts to show proposals and answers, and what came of them. */
  shows: Array<{ kind: 'proposals' | 'answers'; afterTap: number; ok: boolean }>;
  answers: Array<{ who: number; noteId: string; answer: ControlTag }>;
  controlCounts: ControlCounts | null;
  /** Where the notes part of the run ended (the reveal comes after). */
  notesEndedAt: number;
}

/** Run the scripted workshop against a server; the adversary's pages record everything. */
export async function runSession(url: string, o: SessionOptions): Promise<Session> {
  const rnd = random(o.seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const w = await createWorkshop(url, { title: 'Watched away-day', silent: true });
  const owner = await TestClient.facilitator(url, w.code, w.facilitatorKey);
  const { link } = await owner.do({ type: 'cofacilitator.create' });
  const co = await TestClient.facilitator(url, w.code, link!.key);
  const people = await Promise.all(Array.from({ length: o.people }, () => TestClient.participant(url, w.code)));
  const taps: Tap[] = [];
  const author = new Map<string, number>();
  const shows: Session['shows'] = [];
  /** A pause between taps: mostly a second or so, sometimes someone thinks for longer. */
  const pause = () => sleep(o.scale * (rnd() < 0.25 ? 4000 + rnd() * 4000 : 300 + rnd() * 1700));

  // Brainstorm: some people write several notes, a few only one.
  await owner.do({ type: 'phase.set', phase: 'brainstorm' });
  const weights = people.map(() => 0.5 + rnd() * 2);
  const writer = () => {
    let x = rnd() * weights.reduce((a, b) => a + b, 0);
    for (const [i, wt] of weights.entries()) if ((x -= wt) < 0) return i;
    return weights.length - 1;
  };
  for (let n = 0; n < o.notes; n++) {
    await pause();
    const who = writer();
    const bone = pick(BONES);
    const at = Date.now();
    const { noteId } = await people[who].do({ type: 'note.add', boneId: bone, text: `Barrier ${n} (${bone})` });
    taps.push({ who, kind: 'note', at, id: noteId, bone });
    author.set(noteId!, who);
  }
  await sleep(o.settleMs);
  const notesEndedAt = Date.now();

  // Vote on what went up, reveal, and Act on the top barriers.
  await owner.do({ type: 'phase.set', phase: 'review' });
  await until(() => owner.board().notes.length > 0, 'the reveal');
  await owner.do({ type: 'phase.set', phase: 'vote' });
  const board = owner.board().notes;
  for (const p of people) await p.do({ type: 'vote.change', noteId: pick(board).id, delta: 1 + Math.floor(rnd() * 3) });
  await owner.do({ type: 'phase.set', phase: 'reveal' });
  await owner.do({ type: 'settings.set', topN: 2 });
  await owner.do({ type: 'phase.set', phase: 'act' });
  const top = rankNotes(owner.board().notes, owner.board().tally!)
    .slice(0, 2)
    .map((r) => r.note.id);

  // Proposals: one keen person sends three first, then others; the adversary tries to show them after every tap.
  for (let n = 0; n < o.proposals; n++) {
    await pause();
    const who = n < 3 ? 0 : 1 + Math.floor(rnd() * Math.ceil(o.people * 0.6));
    const at = Date.now();
    const { proposalId } = await people[who].do({ type: 'proposal.add', text: `Proposal ${n}` });
    taps.push({ who, kind: 'proposal', at, id: proposalId });
    author.set(proposalId!, who);
    shows.push({ kind: 'proposals', afterTap: taps.length, ok: (await owner.send({ type: 'proposals.show' })).ok });
  }
  await sleep(o.settleMs);
  shows.push({ kind: 'proposals', afterTap: taps.length, ok: (await owner.send({ type: 'proposals.show' })).ok });

  // Control answers: the adversary tries to show them after every tap, and stops once they are shown.
  const answers: Session['answers'] = [];
  let shown = false;
  for (let who = 0; who < o.answerers && !shown; who++) {
    for (const noteId of top) {
      if (shown || rnd() < 0.2) continue;
      await pause();
      const answer = pick(TAGS);
      taps.push({ who, kind: 'answer', at: Date.now() });
      await people[who].do({ type: 'control.answer', noteId, answer });
      answers.push({ who, noteId, answer });
      shown = (await owner.send({ type: 'control.show' })).ok;
      shows.push({ kind: 'answers', afterTap: taps.length, ok: shown });
    }
  }
  if (!shown) {
    await sleep(o.settleMs);
    shown = (await owner.send({ type: 'control.show' })).ok;
    shows.push({ kind: 'answers', afterTap: taps.length, ok: shown });
  }
  if (shown) await until(() => owner.board().controlCounts !== null, 'answers shown');
  await Promise.all([owner, co].map((c) => c.sync()));
  for (const p of people) p.close();
  return { owner, co, taps, author, shows, answers, controlCounts: owner.board().controlCounts, notesEndedAt };
}

export interface Attribution {
  /** How many there were, how many the adversary named with certainty, how many of those wrongly. */
  total: number;
  certain: number;
  wrong: number;
  /** The adversary's expected share right when guessing with everything they saw... */
  guessed: number;
  /** ...and with only who tapped how often (no count, no timing): chance for its batch. */
  chance: number;
}

/** The taps of `kind` in the order the adversary saw them. */
const tapsOf = (s: Session, kind: Tap['kind']) => s.taps.filter((t) => t.kind === kind);

/** Expected share right when guessing, for each note, the candidate who tapped most in its window. */
function bestGuess(truth: number, candidates: Map<number, number>): number {
  const most = Math.max(...candidates.values());
  const top = [...candidates].filter(([, n]) => n === most).map(([p]) => p);
  return top.includes(truth) ? 1 / top.length : 0;
}

/**
 * Held notes, before the reveal: batches in the moderation view, the taps before each (in
 * order: each batch holds the notes of the taps after the previous one's), and the per-bone
 * counts every count frame showed. A count that moved by one between two frames with one tap
 * between them names that tap's bone.
 */
export interface Batch {
  /** How many different people's notes it held, and when the first and last of them were tapped. */
  people: number;
  firstTap: number;
  lastTap: number;
  /** When it reached the facilitator. */
  at: number;
}

export function attributeNotes(s: Session): Attribution & { batches: Batch[]; remainder: number } {
  const notes = tapsOf(s, 'note');
  const seen = reviewsSeen(s.owner);
  const batches = new Map<number, string[]>();
  for (const [id, { at }] of seen) if (at <= s.notesEndedAt) batches.set(at, [...(batches.get(at) ?? []), id]);
  const ordered = [...batches].sort(([a], [b]) => a - b);

  // Bone evidence from the counts: frames in order, and the note taps between each two.
  const frames = s.owner.received.filter((r) => r.event === 'stats' && r.at <= s.notesEndedAt);
  const evidence = new Map<Tap, string>();
  for (let i = 1; i < frames.length; i++) {
    const [before, after] = [frames[i - 1], frames[i]].map((f) => (f.args[0] as Stats).hiddenByBone);
    const between = notes.filter((t) => t.at > frames[i - 1].at && t.at < frames[i].at);
    const moved = BONES.filter((b) => (after[b] ?? 0) !== (before[b] ?? 0));
    const up = moved.reduce((sum, b) => sum + (after[b] ?? 0) - (before[b] ?? 0), 0);
    if (between.length === 1 && moved.length === 1 && up === 1) evidence.set(between[0], moved[0]);
  }

  const out = { total: notes.length, certain: 0, wrong: 0, guessed: 0, chance: 0, batches: [] as Batch[] };
  let done = 0;
  for (const [at, ids] of ordered) {
    const window = notes.slice(done, done + ids.length);
    done += ids.length;
    out.batches.push({ people: new Set(window.map((t) => t.who)).size, firstTap: window[0].at, lastTap: window[window.length - 1].at, at });
    const taps = new Map<number, number>();
    for (const t of window) taps.set(t.who, (taps.get(t.who) ?? 0) + 1);
    for (const id of ids) {
      const bone = seen.get(id)!.note.boneId;
      const truth = s.author.get(id)!;
      // Who could have a note on this bone: a tap of theirs known to be on it, or one of unknown bone.
      const could = new Map<number, number>();
      for (const [p, n] of taps) {
        const mine = window.filter((t) => t.who === p);
        const onBone = mine.filter((t) => evidence.get(t) === bone).length;
        const unknown = mine.filter((t) => !evidence.has(t)).length;
        if (onBone + unknown > 0) could.set(p, n);
      }
      if (could.size === 1) {
        out.certain++;
        if (!could.has(truth)) out.wrong++;
      }
      out.guessed += bestGuess(truth, could.size ? could : taps);
      out.chance += bestGuess(truth, taps);
    }
  }
  out.guessed /= Math.max(1, done);
  out.chance /= Math.max(1, done);
  return { ...out, remainder: notes.length - done };
}

/** Proposals: each shown batch holds the first proposals sent since the last batch. */
export function attributeProposals(s: Session): Attribution {
  const sent = tapsOf(s, 'proposal');
  const batches: Proposal[][] = [];
  let known = 0;
  for (const r of s.owner.received) {
    if (r.event !== 'self') continue;
    const list = (r.args[0] as SelfView).proposals ?? [];
    if (list.length > known) batches.push(list.slice(known));
    known = Math.max(known, list.length);
  }
  const out: Attribution = { total: sent.length, certain: 0, wrong: 0, guessed: 0, chance: 0 };
  let done = 0;
  for (const batch of batches) {
    const window = sent.slice(done, done + batch.length);
    done += batch.length;
    const taps = new Map<number, number>();
    for (const t of window) taps.set(t.who, (taps.get(t.who) ?? 0) + 1);
    for (const p of batch) {
      const truth = s.author.get(p.id)!;
      if (taps.size === 1) {
        out.certain++;
        if (!taps.has(truth)) out.wrong++;
      }
      out.guessed += bestGuess(truth, taps);
    }
  }
  out.guessed /= Math.max(1, done);
  out.chance = out.guessed;
  return out;
}

/**
 * Control answers, once shown: who answered is known (they were seen tapping), which barrier
 * each tap was for is not. A barrier's totals name someone's answer when they rest on one
 * person (`lone`), or everyone's when all who answered answered it alike (`alike`: a unanimous
 * group of 3 or more, which no minimum size prevents).
 */
export function attributeAnswers(s: Session): { total: number; lone: number; alike: number } {
  const out = { total: s.answers.length, lone: 0, alike: 0 };
  const counts = s.controlCounts;
  if (!counts) return out;
  const answerers = new Set(s.answers.map((a) => a.who));
  for (const [noteId, c] of Object.entries(counts.notes)) {
    const on = s.answers.filter((a) => a.noteId === noteId).length;
    const sum = TAGS.reduce((n, t) => n + c[t], 0);
    if (answerers.size === 1 || sum < 3) out.lone += on;
    else if (TAGS.filter((t) => c[t] > 0).length === 1 && sum === answerers.size) out.alike += on;
  }
  return out;
}
