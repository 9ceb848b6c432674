import { refusals } from '../../shared/messages/refusals.ts';
import { FACILITATOR_COMMANDS, PARTICIPANT_COMMANDS, type Command } from '../../shared/commands.ts';
import type { Result } from '../../shared/errors.ts';
import type { CommandReply } from '../../shared/events.ts';
import { addAction, deleteAction, tagNote } from './act.ts';
import { createCoFacilitator, revokeCoFacilitator } from './cofacilitators.ts';
import { addNote, deleteNote, editNote, hideNote, lockBoard, mergeNotes, moveNote, revealNotes } from './notes.ts';
import { setProfile } from './groups.ts';
import { setPhase, setSettings } from './phases.ts';
import { fail } from './result.ts';
import { changeTimer } from './timer.ts';
import { changeVote } from './voting.ts';
import type { Actor } from './actor.ts';
import type { Workshop } from './workshop.ts';
// the hybrid day (issue 13)
import { answerControl, showControlCounts } from './control-answers.ts';
import { setFinished } from './finishing.ts';
import { acceptProposal, addProposal, dismissProposal, showProposals } from './proposals.ts';
// the facilitator in control (issue 14)
import { setScreen } from './projector.ts';
import { undoStep } from './undo.ts';
import { closeVoting, startRound } from './rounds.ts';
// a partnership (issue 26)
import { carryAction, matchBarrier, setActionStatus } from './since.ts';
import { rateChange, showChanges } from './since-answers.ts';
import { keepSummary } from './series-summary.ts';

/** Check the sender's role, then hand the command to the concern that owns it. */
export function dispatch(w: Workshop, actor: Actor, cmd: Command, now: number): Result<CommandReply> {
  if (FACILITATOR_COMMANDS.has(cmd.type) && actor.role !== 'facilitator') return fail('forbidden');
  if (actor.role === 'screen') return fail('forbidden', { what: refusals.forbidden.screenOnlyShows });
  if (PARTICIPANT_COMMANDS.has(cmd.type) && actor.role !== 'participant')
    return fail('forbidden', { what: refusals.forbidden.participantsOnly });
  // What a command derives for anyone else (a moderation batch, a count) is released later, by
  // the clock, never inside the command itself (disclosure.ts).
  const result = route(w, actor, cmd, now);
  // A partnership keeps a summary of this workshop's outcome, which follows the facilitator's changes (issue 26).
  if (result.ok && actor.role === 'facilitator') keepSummary(w, cmd);
  return result;
}

function route(w: Workshop, actor: Actor, cmd: Command, now: number): Result<CommandReply> {
  switch (cmd.type) {
    case 'note.add':
      return addNote(w, actor, cmd);
    case 'note.edit':
      return editNote(w, actor, cmd);
    case 'note.delete':
      return deleteNote(w, actor, cmd);
    case 'note.move':
      return moveNote(w, actor, cmd);
    case 'note.merge':
      return mergeNotes(w, actor, cmd);
    case 'note.hide':
      return hideNote(w, actor, cmd);
    case 'notes.reveal':
      return revealNotes(w);
    case 'board.lock':
      return lockBoard(w, actor, cmd);
    case 'phase.set':
      return setPhase(w, actor, cmd, now);
    case 'profile.set':
      return setProfile(w, actor, cmd);
    case 'settings.set':
      return setSettings(w, actor, cmd);
    case 'timer.start':
    case 'timer.add':
    case 'timer.pause':
    case 'timer.resume':
    case 'timer.stop':
      return changeTimer(w, cmd, now);
    case 'vote.change':
      return changeVote(w, actor, cmd);
    case 'act.tag':
      return tagNote(w, actor, cmd);
    case 'action.add':
      return addAction(w, actor, cmd);
    case 'action.delete':
      return deleteAction(w, actor, cmd);
    case 'cofacilitator.create':
      return createCoFacilitator(w, actor, cmd, now);
    case 'cofacilitator.revoke':
      return revokeCoFacilitator(w, actor, cmd);
    // the hybrid day (issue 13)
    case 'finished.set':
      return setFinished(w, actor, cmd);
    case 'proposal.add':
      return addProposal(w, actor, cmd);
    case 'proposals.show':
      return showProposals(w);
    case 'proposal.accept':
      return acceptProposal(w, actor, cmd);
    case 'proposal.dismiss':
      return dismissProposal(w, actor, cmd);
    case 'control.answer':
      return answerControl(w, actor, cmd);
    case 'control.show':
      return showControlCounts(w);
    // The facilitator in control
    case 'screen.set':
      return setScreen(w, cmd, now);
    case 'undo':
      return undoStep(w, cmd.seq);
    case 'vote.close':
      return closeVoting(w, cmd);
    case 'round.start':
      return startRound(w, cmd);
    // A partnership
    case 'since.status':
      return setActionStatus(w, cmd);
    case 'since.carry':
      return carryAction(w, cmd);
    case 'since.match':
      return matchBarrier(w, cmd);
    case 'since.rate':
      return rateChange(w, actor, cmd);
    case 'since.show':
      return showChanges(w);
  }
}
