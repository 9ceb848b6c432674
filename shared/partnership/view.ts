import type { ActionHistory } from './moved.ts';
import type { ActionStatus, SeriesAction, TopBarrier, WorkshopSummary } from './series.ts';

/** One workshop of a partnership, as `GET /api/partnerships/:id` answers (docs/PROTOCOL.md). */
export interface PartnershipWorkshop extends Omit<WorkshopSummary, 'actions'> {
  /** The entry's id in the partnership. */
  entry: string;
  /** The first `topN` of its ranking. */
  topBarriers: TopBarrier[];
  /** Its actions, each with what the next workshop said became of it (null: not said yet). */
  actions: Array<SeriesAction & { status: ActionStatus | null }>;
}

export interface PartnershipView {
  id: string;
  title: string;
  createdAt: string;
  /** The link the request came with: the one that made the partnership, or a co-facilitator's. */
  role: 'owner' | 'co';
  /** Oldest first. */
  workshops: PartnershipWorkshop[];
  /** Every action of the series, followed through the workshops after it. */
  actions: ActionHistory[];
  /** For the owner link only: the co-facilitator links that still work. */
  links?: Array<{ id: string; createdAt: number }>;
}
