import { refusals } from '../../shared/messages/refusals.ts';
import type { CommandOf } from '../../shared/commands.ts';
import { readRounds, type RoundResult, type Tally } from '../../shared/doc.ts';
import type { Result } from '../../shared/errors.ts';
import type { CommandReply } from '../../shared/events.ts';
import { dict } from '../../shared/safe-keys.ts';
import { fail, ok } from './result.ts';
import { isFacilitatorKey, type Actor } from './actor.ts';
import type { Fact } from './disclosure.ts';
import type { Workshop } from './workshop.ts';

/**
 * Dot voting. Ballots live only in the workshop's private state (and the store's ballots
 * table); the document learns nothing until the reveal writes the aggregates.
 */
export function changeVote(w: Workshop, actor: Actor, cmd: CommandOf<'vote.change'>): Result<CommandReply> {
  if (w.phase === 'closed') return fail('closed');
  if (w.phase !== 'vote') return fail('wrong_phase', { phase: w.phase, what: refusals.wrongPhase.placeDots });
  if (actor.role === 'facilitator' && !w.meta('facilitatorVotes'))
    return fail('forbidden', { what: refusals.forbidden.facilitatorDoesNotVote });
  if (w.meta('votingClosed')) return fail('wrong_phase', { phase: w.phase, what: refusals.wrongPhase.votingClosed });
  if (cmd.delta === 0) return fail('bad_request', { what: refusals.badRequest.zeroDelta });
  if (!w.note(cmd.noteId)) return fail('not_found');
  // A later round has its own notes, budget and cap (rounds.ts).
  const round = roundLimits(w);
  if (round.noteIds && !round.noteIds.includes(cmd.noteId)) return fail('bad_request', { what: refusals.badRequest.notInRound });
  const current = w.private.dotsOn(actor.key, cmd.noteId);
  const next = current + cmd.delta;
  if (next < 0) return fail('negative');
  const cap = round.cap;
  if (next > cap) return fail('over_cap', { cap });
  const left = round.budget - w.private.dotsOf(actor.key);
  if (cmd.delta > left) return fail('over_budget', { left });
  // Runs inside the workshop's serial queue, so the check above and this write are atomic
  // across every socket of the same participant.
  w.record({ t: 'ballot', participantId: actor.key, noteId: cmd.noteId, dots: next });
  if (next > 0 && !w.private.voted.has(actor.key)) w.record({ t: 'voted', participantId: actor.key });
  return ok({ noteId: cmd.noteId });
}

/**
 * Turnout ("14 of 18 have voted"), as everyone sees it: released once at least 3 participants
 * have placed their first dot since it last moved. A facilitator's own first dot never counts
 * toward the 3: they know it.
 */
export const turnout: Fact<Workshop> = {
  people(w) {
    const before = w.disclosure.published.voted;
    return new Set([...w.private.voted].filter((key) => !before.has(key) && !isFacilitatorKey(key)));
  },
  release(w) {
    w.disclosure.published.voted = new Set(w.private.voted);
    w.touchStats();
  },
};

/** The aggregates the reveal publishes: dots and supporters per note, dots per bone. */
export function computeTally(w: Workshop): Tally {
  const tally: Tally = { voters: 0, dots: 0, notes: dict(), bones: dict() };
  for (const ballot of w.private.ballots.values()) {
    let voted = false;
    for (const [noteId, dots] of ballot) {
      const note = w.note(noteId);
      if (!note || dots <= 0) continue;
      voted = true;
      const t = (tally.notes[noteId] ??= { dots: 0, supporters: 0 });
      t.dots += dots;
      t.supporters += 1;
      tally.bones[note.boneId] = (tally.bones[note.boneId] ?? 0) + dots;
      tally.dots += dots;
    }
    if (voted) tally.voters++;
  }
  return tally;
}

/** Rounds (rounds.ts): the first round has no entry; a later one is the last entry of `results.rounds`. */
export function laterRound(w: Workshop): RoundResult | null {
  const round = w.meta('round') ?? 1;
  return round > 1 ? (readRounds(w.doc).find((r) => r.round === round) ?? null) : null;
}

/** In a later round, dots go only on its notes, within its own budget and cap. */
export function roundLimits(w: Workshop): { budget: number; cap: number; noteIds: string[] | null } {
  const r = laterRound(w);
  return r ? { budget: r.budget, cap: r.cap, noteIds: r.noteIds } : { budget: w.meta('budget'), cap: w.meta('cap'), noteIds: null };
}
