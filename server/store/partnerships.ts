import type { WorkshopSummary } from '../../shared/partnership/series.ts';
import type { KeyRow } from './key-row.ts';

/**
 * A partnership's storage (issue 26), in the same database as its workshops (SQLite or
 * PostgreSQL: sqlite-partnerships.ts, postgres-partnerships.ts). It keeps the series' name, its
 * keys (hashed, as a workshop's) and one entry per workshop: that workshop's outcome as a summary
 * of aggregates, actions and statuses. A workshop's own commits keep its entry's summary up to
 * date (the `partnership.summary` op); the entry outlives the workshop, so a retention sweep that
 * deletes a closed workshop leaves the series its history.
 */

export interface PartnershipRow {
  id: string;
  title: string;
  createdAt: number;
  /**
   * The facilitator account that owns it, once sign-in exists (issue 27): null until then, and
   * for partnerships reached by their key alone. The one place an account check joins the key
   * check is server/partnership/access.ts.
   */
  accountId: string | null;
}

export interface PartnershipEntry {
  /** The entry's own id (a workshop's internal id never leaves the server). */
  entryId: string;
  /** The workshop it was made from, while it exists on this server (null once deleted, or imported). */
  workshopId: string | null;
  /** When the workshop was held: the series' order. */
  createdAt: number;
  summary: WorkshopSummary;
}

export interface LoadedPartnership {
  row: PartnershipRow;
  keys: KeyRow[];
  /** Oldest first. Each summary's `code` is its workshop's while that workshop exists, else null. */
  entries: PartnershipEntry[];
}

export interface PartnershipStore {
  /** A new partnership with its owner key (and, for an import, its history). */
  create(row: PartnershipRow, owner: KeyRow, entries: PartnershipEntry[]): Promise<void>;
  load(id: string): Promise<LoadedPartnership | null>;
  /** False when the workshop is in a partnership already (a workshop belongs to one at most). */
  addEntry(partnershipId: string, entry: PartnershipEntry): Promise<boolean>;
  /** The partnership a workshop is in, if any. */
  ofWorkshop(workshopId: string): Promise<string | null>;
  /** A workshop its facilitator deleted leaves its partnership too. */
  removeWorkshop(workshopId: string): Promise<void>;
  addKey(partnershipId: string, key: KeyRow): Promise<void>;
  revokeKey(partnershipId: string, keyId: string): Promise<void>;
  /** The partnership and its history go; its workshops stay, on their own. */
  delete(id: string): Promise<void>;
}
