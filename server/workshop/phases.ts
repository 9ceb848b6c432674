import { refusals } from '../../shared/messages/refusals.ts';
import type { CommandOf } from '../../shared/commands.ts';
import { breakdown } from '../../shared/breakdown.ts';
import { BUDGET_MAX, checkText, GROUP_MAX, PROMPT_MAX, TITLE_MAX } from '../../shared/commands.ts';
import type { Result } from '../../shared/errors.ts';
import type { CommandReply } from '../../shared/events.ts';
import { canMovePhase, phaseIndex } from '../../shared/phases.ts';
import { revealHidden } from './notes.ts';
import { startFinishing } from './finishing.ts';
import { fail, ok } from './result.ts';
import { endTimer } from './timer.ts';
import { endFocus, resetScreen } from './projector.ts';
import { revealRound } from './rounds.ts';
import { computeTally } from './voting.ts';
import { isFacilitatorKey, type Actor } from './actor.ts';
import type { Workshop } from './workshop.ts';

type Reply = Result<CommandReply>;

export function setPhase(w: Workshop, _actor: Actor, cmd: CommandOf<'phase.set'>, now: number): Reply {
  const from = w.phase;
  const to = cmd.phase;
  if (from === 'closed') return fail('closed');
  // A later round only goes forward: back from its vote would land on a review that is over.
  const laterRound = (w.meta('round') ?? 1) > 1 && from === 'vote' && phaseIndex(to) < phaseIndex(from);
  if (laterRound || !canMovePhase(from, to)) {
    return fail('wrong_phase', {
      phase: from,
      what: from === to ? refusals.wrongPhase.alreadyThere : refusals.wrongPhase.stepBackLosesWork,
    });
  }
  // Leaving the brainstorm ends the silence: notes still hidden are revealed in one batch (and
  // with none hidden, screens stop saying "so far").
  // Notes held for review go up too.
  if (phaseIndex(to) > phaseIndex('brainstorm') && ((w.meta('silent') && !w.meta('notesRevealed')) || w.private.hidden.size > 0))
    revealHidden(w);
  // The reveal publishes the aggregates, once: voting cannot reopen after it.
  if (phaseIndex(to) >= phaseIndex('reveal') && !w.parts.results.has('tally')) {
    w.parts.results.set('tally', computeTally(w));
    const p = w.private;
    // Participants' ballots only: a facilitator who counted toward a group's minimum of 3 could
    // subtract their own dots and read the rest (docs/THREAT-MODEL.md).
    const ballots = [...p.ballots].filter(([key]) => !isFacilitatorKey(key));
    if (w.meta('groups').length)
      w.record({ t: 'breakdown', json: JSON.stringify(breakdown(ballots, (pid) => p.participants.get(pid) ?? null)) });
  }
  if (phaseIndex(to) >= phaseIndex('reveal')) revealRound(w);
  w.setMeta('phase', to);
  // "Of how many" starts again from whoever is here (presence.ts).
  w.presence.newPhase();
  startFinishing(w, to);
  endFocus(w);
  endTimer(w);
  if (w.meta('votingClosed')) w.setMeta('votingClosed', false);
  // Everyone's private view (dots left, editability) depends on the phase.
  for (const pid of w.private.participants.keys()) if (w.private.notesBy.has(pid) || w.private.ballots.has(pid)) w.touchSelf(pid);
  if (to === 'closed') {
    w.setMeta('participantCount', w.private.participants.size);
    w.record({ t: 'purge', closedAt: now });
    resetScreen(w);
    w.row.closedAt = now;
  }
  w.touchStats();
  return ok();
}

export function setSettings(w: Workshop, _actor: Actor, cmd: CommandOf<'settings.set'>): Reply {
  if (w.phase === 'closed') return fail('closed');
  const beforeVoting = phaseIndex(w.phase) < phaseIndex('vote');
  const budget = cmd.budget ?? w.meta('budget');
  const cap = cmd.cap ?? w.meta('cap');
  if (cmd.budget !== undefined || cmd.cap !== undefined || cmd.facilitatorVotes !== undefined) {
    if (!beforeVoting) return fail('wrong_phase', { phase: w.phase, what: refusals.wrongPhase.setDots });
    if (budget < 1 || budget > BUDGET_MAX) return fail('bad_request', { what: refusals.badRequest.budgetRange(BUDGET_MAX) });
    if (cap < 1 || cap > budget) return fail('bad_request', { what: refusals.badRequest.capRange });
  }
  if (cmd.silent !== undefined && cmd.silent !== w.meta('silent') && w.phase !== 'lobby') {
    return fail('wrong_phase', { phase: w.phase, what: refusals.wrongPhase.switchSilent });
  }
  if (cmd.hold !== undefined && phaseIndex(w.phase) > phaseIndex('review')) {
    return fail('wrong_phase', { phase: w.phase, what: refusals.wrongPhase.switchHold });
  }
  let title: string | undefined;
  if (cmd.title !== undefined) {
    const t = checkText(cmd.title, TITLE_MAX);
    if (!t.ok) return fail(t.code, { max: TITLE_MAX });
    title = t.text;
  }
  let groups: string[] | undefined;
  if (cmd.groups !== undefined) {
    if (!beforeVoting) return fail('wrong_phase', { phase: w.phase, what: refusals.wrongPhase.setGroups });
    groups = [];
    for (const g of cmd.groups) {
      const t = checkText(g, GROUP_MAX);
      if (!t.ok) return fail(t.code, { max: GROUP_MAX });
      if (!groups.includes(t.text)) groups.push(t.text);
    }
  }
  const prompts = { ...w.meta('prompts') };
  for (const [phase, text] of Object.entries(cmd.prompts ?? {})) {
    const t = checkText(text ?? '', PROMPT_MAX);
    if (!t.ok) return fail(t.code, { max: PROMPT_MAX });
    prompts[phase as keyof typeof prompts] = t.text;
  }
  if (title !== undefined) w.setMeta('title', title);
  if (cmd.budget !== undefined) w.setMeta('budget', budget);
  if (cmd.cap !== undefined) w.setMeta('cap', cap);
  if (cmd.facilitatorVotes !== undefined) w.setMeta('facilitatorVotes', cmd.facilitatorVotes);
  if (cmd.silent !== undefined) w.setMeta('silent', cmd.silent);
  if (cmd.hold !== undefined) w.setMeta('hold', cmd.hold);
  if (cmd.showRanking !== undefined) w.setMeta('showRanking', cmd.showRanking);
  if (cmd.topN !== undefined) w.setMeta('topN', cmd.topN);
  if (cmd.prompts) w.setMeta('prompts', prompts);
  if (groups) w.setMeta('groups', groups);
  w.touchStats();
  return ok();
}
