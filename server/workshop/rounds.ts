import type { CommandOf } from '../../shared/commands.ts';
import { readRounds, type RoundResult } from '../../shared/doc.ts';
import type { Result } from '../../shared/errors.ts';
import type { CommandReply } from '../../shared/events.ts';
import { refusals } from '../../shared/messages/refusals.ts';
import { resultsOut } from '../../shared/phases.ts';
import { rankNotes } from '../../shared/ranking.ts';
import { BUDGET_MAX } from '../../shared/limits.ts';
import { fail, ok } from './result.ts';
import { startFinishing } from './finishing.ts';
import { endFocus } from './projector.ts';
import { endTimer } from './timer.ts';
import { computeTally, laterRound } from './voting.ts';
import type { Workshop } from './workshop.ts';

/**
 * Rounds of voting. Closing a round's vote can be undone (reopened) until its results are
 * revealed; after a reveal, "vote again on the top N" opens a new round on those notes only,
 * with a fresh budget. The first round's tally stays `results.tally`; each later round is an
 * entry of `results.rounds` with its notes, budget, cap and, from its reveal, its own tally
 * (shared/rounds.ts reads them).
 */

type Reply = Result<CommandReply>;

const results = (w: Workshop) => w.doc.getMap<unknown>('results');

/** Close this round's voting (no more dots), or reopen it: possible until its results are out. */
export function closeVoting(w: Workshop, cmd: CommandOf<'vote.close'>): Reply {
  if (w.phase === 'closed') return fail('closed');
  if (w.phase !== 'vote') return fail('wrong_phase', { phase: w.phase, what: refusals.wrongPhase.closeVoting });
  if (!!w.meta('votingClosed') === cmd.closed)
    return fail('wrong_phase', {
      phase: w.phase,
      what: cmd.closed ? refusals.wrongPhase.votingClosedAlready : refusals.wrongPhase.votingOpenAlready,
    });
  w.setMeta('votingClosed', cmd.closed);
  w.touchRoom();
  return ok();
}

/** After a reveal: vote again on the top N notes of the last ranking, with fresh dots. */
export function startRound(w: Workshop, cmd: CommandOf<'round.start'>): Reply {
  if (w.phase === 'closed') return fail('closed');
  if (!resultsOut(w.phase)) return fail('wrong_phase', { phase: w.phase, what: refusals.wrongPhase.newRound });
  const budget = cmd.budget ?? w.meta('budget');
  const cap = cmd.cap ?? Math.min(w.meta('cap'), budget);
  if (budget < 1 || budget > BUDGET_MAX) return fail('bad_request', { what: refusals.badRequest.budgetRange(BUDGET_MAX) });
  if (cap < 1 || cap > budget) return fail('bad_request', { what: refusals.badRequest.capRange });
  // The ranking the room just saw: the last round's, on that round's notes.
  const last = laterRound(w);
  const tally = last ? last.tally : (w.parts.results.get('tally') ?? null);
  if (!tally) return fail('wrong_phase', { phase: w.phase, what: refusals.wrongPhase.newRound });
  const pool = [...w.parts.notes.values()].filter((n) => !last || last.noteIds.includes(n.id));
  const top = rankNotes(pool, tally)
    .filter((r) => r.dots > 0)
    .slice(0, cmd.top);
  if (top.length < 2) return fail('bad_request', { what: refusals.badRequest.roundTooFew(top.length) });
  const round = (w.meta('round') ?? 1) + 1;
  const entry: RoundResult = { round, noteIds: top.map((r) => r.note.id), budget, cap, tally: null };
  results(w).set('rounds', [...readRounds(w.doc), entry]);
  w.record({ t: 'round.reset' });
  w.setMeta('round', round);
  w.setMeta('votingClosed', false);
  w.setMeta('phase', 'vote');
  w.presence.newPhase();
  startFinishing(w, 'vote');
  endFocus(w);
  endTimer(w);
  w.touchRoom();
  return ok();
}

/** A later round's reveal: its own tally, on its own notes. */
export function revealRound(w: Workshop): void {
  const r = laterRound(w);
  if (!r || r.tally) return;
  const tally = computeTally(w);
  const rounds = readRounds(w.doc).map((x) => (x.round === r.round ? { ...x, tally } : x));
  results(w).set('rounds', rounds);
}
