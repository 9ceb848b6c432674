import { at } from './clock.ts';
import { addKey, editKey, type Ack, type BenchClient } from './client.ts';

/**
 * The brainstorm script, drawn once per scenario and replayed against every server, so the
 * three runs see the same notes, edits and timing. Times are ms after the brainstorm starts.
 */
export interface NotePlan {
  k: number;
  at: number;
  bone: string;
  phrase: string;
  edit: { at: number; phrase: string } | null;
}

const PHRASES = [
  'Different budget cycles between health and social care',
  'Nobody owns the handover between teams',
  'Data sharing agreements take months to sign',
  'Too many meetings, not enough decisions',
  'Staff turnover means relationships restart every year',
  'Targets reward each service for its own numbers',
  'Referral forms differ in every organisation',
  'Voluntary sector is invited late, if at all',
  'IT systems cannot talk to each other',
  'Managers are measured on cost, not outcomes',
  'Shift patterns make joint training impossible',
  'Service users repeat their story to every team',
];

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)];

export interface PlanShape {
  bones: string[];
  /** Notes start within [0, spreadMs]; an edit follows its note by 0.5-1 x editDelayMs. */
  spreadMs: number;
  editDelayMs: number;
  editShare: number;
}

/** `count` notes, at the given times or at random ones. */
export function planNotes(count: number, s: PlanShape, times?: number[]): NotePlan[] {
  return Array.from({ length: count }, (_, k) => {
    const t = times?.[k] ?? Math.random() * s.spreadMs;
    return {
      k,
      at: t,
      bone: pick(s.bones),
      phrase: pick(PHRASES),
      edit: Math.random() < s.editShare ? { at: t + s.editDelayMs * (0.5 + Math.random() / 2), phrase: pick(PHRASES) } : null,
    };
  });
}

export interface PlanOutcome {
  added: number;
  edits: number;
  refused: Record<string, number>;
}

/**
 * Play one client's notes and edits from `start` (mono ms); counts what was accepted. `times`
 * (the floors) replaces the planned times with those at which ours actually sent each one, so the
 * floors send the recorded updates in the order our server wrote them.
 */
export async function playNotes(
  c: BenchClient,
  notes: NotePlan[],
  start: number,
  out: PlanOutcome,
  times?: Map<string, number>,
): Promise<void> {
  const count = (res: Ack) => {
    if (!res.ok) out.refused[res.code] = (out.refused[res.code] ?? 0) + 1;
    return res.ok;
  };
  await Promise.all(
    notes.flatMap((n) => {
      const tag = `${c.g}.${n.k}`;
      const tasks = [
        at(start + (times?.get(addKey(tag)) ?? n.at)).then(async () => count(await c.addNote(n.k, n.bone, n.phrase)) && out.added++),
      ];
      const e = n.edit;
      if (e)
        tasks.push(at(start + (times?.get(editKey(tag)) ?? e.at)).then(async () => count(await c.editNote(n.k, e.phrase)) && out.edits++));
      return tasks;
    }),
  );
}
