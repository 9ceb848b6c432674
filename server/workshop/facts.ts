import { answeredCount } from './control-answers.ts';
import type { Facts } from './disclosure.ts';
import { finishedCount } from './finishing.ts';
import { heldNotes } from './moderation.ts';
import { readyProposals } from './proposals.ts';
import { sinceAnsweredCount } from './since-answers.ts';
import { turnout } from './voting.ts';
import type { Workshop } from './workshop.ts';

/**
 * Every fact disclosure.ts releases, each defined beside the concern that owns it. Handed to each
 * workshop by the registry that opens it, so the workshop (the unit of work) imports none of the
 * concerns that use it.
 */
export const FACTS: Facts<Workshop> = {
  notes: heldNotes,
  proposals: readyProposals,
  answers: answeredCount,
  finished: finishedCount,
  votes: turnout,
  since: sinceAnsweredCount,
};
