import type { Failure } from '../../shared/errors.ts';
import { seriesRefusals } from '../../shared/messages/partnership.ts';
import { PARTNERSHIP_SCHEMA, PARTNERSHIP_VERSION, partnershipExportSchema } from '../../shared/partnership/schema.ts';
import type { PartnershipStore } from '../store/partnerships.ts';
import { newId } from '../workshop/keys.ts';
import { fail, invalid } from '../workshop/result.ts';
import { createPartnership, type CreatedPartnership } from './create.ts';

/**
 * A partnership's JSON export becomes a new partnership here (new id, new key): its history of
 * outcomes, from which the next workshop starts. The workshops themselves move with their own
 * exports; an imported entry names no workshop on this server.
 */
export async function importPartnership(store: PartnershipStore, body: unknown, now: number): Promise<CreatedPartnership | Failure> {
  const b = body as { schema?: unknown; version?: unknown } | null;
  if (!b || typeof b !== 'object' || b.schema !== PARTNERSHIP_SCHEMA)
    return fail('bad_request', { what: seriesRefusals.notAPartnershipExport(PARTNERSHIP_SCHEMA) });
  if (typeof b.version === 'number' && b.version > PARTNERSHIP_VERSION)
    return fail('bad_request', { what: seriesRefusals.newerExport(b.version, PARTNERSHIP_VERSION) });
  const parsed = partnershipExportSchema.safeParse(body);
  if (!parsed.success) return invalid(parsed.error);
  const x = parsed.data;
  const entries = x.workshops.map((s) => ({
    entryId: newId(),
    workshopId: null,
    createdAt: Date.parse(s.date),
    summary: { ...s, code: null },
  }));
  return createPartnership(store, x.partnership.title, now, entries);
}
