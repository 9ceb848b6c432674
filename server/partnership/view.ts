import { actionHistories } from '../../shared/partnership/moved.ts';
import { topOf } from '../../shared/partnership/summary.ts';
import type { PartnershipView } from '../../shared/partnership/view.ts';
import { own } from '../../shared/safe-keys.ts';
import type { LoadedPartnership } from '../store/partnerships.ts';
import type { KeyRow } from '../store/store.ts';

/**
 * A partnership as `GET /api/partnerships/:id` answers: its workshops in order, each with its
 * date, top barriers, bone weights and actions with what became of them; and every action's
 * history. Built from the partnership's own entries only (aggregates, actions, statuses).
 */
export function partnershipView(p: LoadedPartnership, key: KeyRow): PartnershipView {
  const summaries = p.entries.map((e) => e.summary);
  const view: PartnershipView = {
    id: p.row.id,
    title: p.row.title,
    createdAt: new Date(p.row.createdAt).toISOString(),
    role: key.kind,
    workshops: p.entries.map((e, i) => {
      const next = summaries[i + 1];
      return {
        ...e.summary,
        entry: e.entryId,
        topBarriers: topOf(e.summary),
        actions: e.summary.actions.map((a) => ({ ...a, status: own(next?.since?.statuses, a.id) ?? null })),
      };
    }),
    actions: actionHistories(summaries),
  };
  if (key.kind === 'owner')
    view.links = p.keys.filter((k) => k.kind === 'co' && !k.revoked).map((k) => ({ id: k.id, createdAt: k.createdAt }));
  return view;
}
