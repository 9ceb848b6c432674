import type { Command } from '../../shared/commands.ts';
import { readBoard } from '../../shared/doc.ts';
import { resultsOut } from '../../shared/phases.ts';
import { SINCE_KEYS } from '../../shared/partnership/since-doc.ts';
import { summarize } from '../../shared/partnership/summary.ts';
import type { Workshop } from './workshop.ts';

/** The summary each open workshop last wrote, so an unchanged one is not written again. */
const written = new WeakMap<Workshop, string>();

/**
 * A workshop of a partnership keeps its partnership's record of it current: after each
 * facilitator's change, its outcome (aggregates, actions, statuses: shared/partnership/summary.ts)
 * goes into the same batch as the change, so the partnership never holds an outcome its
 * workshop did not commit. Participants' commands change nothing a summary holds. (A workshop
 * imported with a series, not yet added to a partnership here, writes to no row.)
 */
export function keepSummary(w: Workshop, cmd?: Command): void {
  if (!w.parts.since.has(SINCE_KEYS.series)) return;
  // Before the reveal a summary holds no ranking, so moderating notes cannot change it: a board
  // at the caps costs 5-10 ms a summary, spent only where something it holds can have moved.
  if (cmd && !resultsOut(w.phase) && !cmd.type.startsWith('since.') && cmd.type !== 'phase.set' && cmd.type !== 'settings.set') return;
  const json = JSON.stringify(summarize(readBoard(w.doc), w.row.createdAt, w.private.participants.size));
  if (written.get(w) === json) return;
  written.set(w, json);
  w.record({ t: 'partnership.summary', json });
}
