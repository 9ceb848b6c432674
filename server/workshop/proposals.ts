import { refusals } from '../../shared/messages/refusals.ts';
import { ACTION_MAX, checkText, type CommandOf } from '../../shared/commands.ts';
import type { Result } from '../../shared/errors.ts';
import type { CommandReply } from '../../shared/events.ts';
import { PROPOSALS_PER_PERSON, PROPOSALS_PER_WORKSHOP } from '../../shared/limits.ts';
import { addAction } from './act.ts';
import { newId } from './keys.ts';
import { shuffle } from './shuffle.ts';
import { fail, ok } from './result.ts';
import { inAct } from './act.ts';
import type { Actor } from './actor.ts';
import type { Fact } from './disclosure.ts';
import type { Workshop } from './workshop.ts';

type Reply = Result<CommandReply>;

/**
 * Action proposals from the phones, anonymous like notes: the words and their author stay in the
 * private state. A proposal waits, unseen and uncounted, until the gate of disclosure.ts makes it
 * `ready` together with proposals of at least MIN_PEOPLE different people, a few seconds after
 * the last of them was sent; everyone then sees how many are ready. A facilitator shows the ready
 * ones, shuffled, so none can be tied to the moment someone was seen sending it. Facilitators see
 * the words, never the author; they turn a proposal into an action (in the document, like any
 * action) or dismiss it.
 */

export function addProposal(w: Workshop, actor: Actor, cmd: CommandOf<'proposal.add'>): Reply {
  const refused = inAct(w);
  if (refused) return refused;
  const t = checkText(cmd.text, ACTION_MAX);
  if (!t.ok) return fail(t.code, { max: ACTION_MAX });
  const all = [...w.private.proposals.values()];
  if (all.length >= PROPOSALS_PER_WORKSHOP)
    return fail('limit_reached', { what: refusals.limitReached.proposalsPerWorkshop(PROPOSALS_PER_WORKSHOP) });
  if (all.filter((r) => r.participantId === actor.key).length >= PROPOSALS_PER_PERSON) {
    return fail('limit_reached', { what: refusals.limitReached.proposalsPerPerson(PROPOSALS_PER_PERSON) });
  }
  const id = newId();
  w.record({ t: 'proposal.put', row: { id, participantId: actor.key, text: t.text, state: 'waiting', order: 0 } });
  return ok({ proposalId: id });
}

/** Proposals ready to show, as disclosure.ts releases them: those still waiting, from 3 or more people. */
export const readyProposals: Fact<Workshop> = {
  people(w) {
    const people = new Set<string>();
    for (const r of w.private.proposals.values()) if (r.state === 'waiting') people.add(r.participantId);
    return people;
  },
  release(w) {
    for (const r of w.private.proposals.values()) if (r.state === 'waiting') w.record({ t: 'proposal.put', row: { ...r, state: 'ready' } });
    w.touchStats();
  },
};

/** Show the facilitators the ready proposals: never a waiting one, however few or many wait. */
export function showProposals(w: Workshop): Reply {
  const refused = inAct(w);
  if (refused) return refused;
  const rows = [...w.private.proposals.values()];
  const ready = rows.filter((r) => r.state === 'ready');
  if (!ready.length) return fail('too_few', { what: refusals.tooFew.proposals });
  let order = Math.max(0, ...rows.filter((r) => r.state === 'shown' || r.state === 'accepted').map((r) => r.order));
  for (const row of shuffle(ready)) w.record({ t: 'proposal.put', row: { ...row, state: 'shown', order: ++order } });
  w.touchStats();
  return ok();
}

/** A shown proposal becomes an action with its words; the facilitator adds who, when and what it is about. */
export function acceptProposal(w: Workshop, actor: Actor, cmd: CommandOf<'proposal.accept'>): Reply {
  const refused = inAct(w);
  if (refused) return refused;
  const row = w.private.proposals.get(cmd.proposalId);
  // A proposal not shown yet is not there for facilitators: its id is not even known to them.
  if (!row || row.state === 'waiting' || row.state === 'ready') return fail('not_found', { what: refusals.notFound.proposal });
  if (row.state === 'accepted') return fail('bad_request', { what: refusals.badRequest.alreadyAction });
  const added = addAction(w, actor, { type: 'action.add', id: cmd.id, what: row.text, who: cmd.who, when: cmd.when, noteId: cmd.noteId });
  if (!added.ok) return added;
  w.record({ t: 'proposal.put', row: { ...row, state: 'accepted' } });
  return ok({ actionId: added.actionId, proposalId: row.id });
}

export function dismissProposal(w: Workshop, _actor: Actor, cmd: CommandOf<'proposal.dismiss'>): Reply {
  const refused = inAct(w);
  if (refused) return refused;
  const row = w.private.proposals.get(cmd.proposalId);
  if (!row || row.state === 'waiting' || row.state === 'ready') return fail('not_found', { what: refusals.notFound.proposal });
  w.record({ t: 'proposal.del', proposalId: row.id });
  return ok();
}
