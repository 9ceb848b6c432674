import type { CreateWorkshop } from '../../shared/commands.ts';
import { readBoard } from '../../shared/doc.ts';
import type { Failure } from '../../shared/errors.ts';
import { seriesRefusals } from '../../shared/messages/partnership.ts';
import { WORKSHOPS_PER_PARTNERSHIP, type Since } from '../../shared/partnership/series.ts';
import { SINCE_KEYS, writeSince } from '../../shared/partnership/since-doc.ts';
import { seriesInfo, summarize } from '../../shared/partnership/summary.ts';
import type { LoadedPartnership } from '../store/partnerships.ts';
import type { Store } from '../store/store.ts';
import { createWorkshop, type Created, type OwnerKeyMaker } from '../workshop/create.ts';
import { newId } from '../workshop/keys.ts';
import { fail, ok } from '../workshop/result.ts';
import { keepSummary } from '../workshop/series-summary.ts';
import type { Workshop } from '../workshop/workshop.ts';
import { findPartnershipKey } from './access.ts';

/** A partnership named in a request body, with one of its keys: the partnership, or why not. */
export async function presentedPartnership(store: Store, ref: { id: string; key: string }): Promise<LoadedPartnership | Failure> {
  const p = await store.partnerships.load(ref.id);
  if (!p) return fail('unknown_partnership');
  if (!findPartnershipKey(p, ref.key)) return fail('forbidden', { what: seriesRefusals.wrongKey });
  if (p.entries.length >= WORKSHOPS_PER_PARTNERSHIP)
    return fail('limit_reached', { what: seriesRefusals.workshops(WORKSHOPS_PER_PARTNERSHIP) });
  return p;
}

const fresh = (p: LoadedPartnership, before: number): Since => ({
  series: seriesInfo(
    p.row.title,
    p.entries.filter((e) => e.createdAt <= before).map((e) => e.summary),
  ),
  statuses: {},
  carried: {},
  matches: {},
  ratings: null,
});

/**
 * A new workshop in a partnership: it starts from the last one (its document's `since` map holds
 * the earlier workshops' outcomes), and the partnership gets its entry.
 */
export async function startInPartnership(
  store: Store,
  p: LoadedPartnership,
  input: CreateWorkshop,
  now: number,
  ownerKey?: OwnerKeyMaker,
): Promise<Created> {
  const { partnership: _ref, ...rest } = input;
  const created = await createWorkshop(store, rest, now, ownerKey, { since: fresh(p, now) });
  const summary = summarize(readBoard(created.doc), now);
  await store.partnerships.addEntry(p.row.id, { entryId: newId(), workshopId: created.row.id, createdAt: now, summary });
  return created;
}

/**
 * A workshop run before (or outside) the partnership joins it. One still running starts from the
 * partnership's workshops before its date, as if it had been started in it (one imported with a
 * series of its own keeps that); a closed one brings its outcome as it is.
 */
export async function addToPartnership(store: Store, p: LoadedPartnership, w: Workshop): Promise<Failure | { ok: true }> {
  if (await store.partnerships.ofWorkshop(w.id)) return fail('bad_request', { what: seriesRefusals.inAPartnership });
  const summary = summarize(readBoard(w.doc), w.row.createdAt, w.private.participants.size);
  const added = await store.partnerships.addEntry(p.row.id, { entryId: newId(), workshopId: w.id, createdAt: w.row.createdAt, summary });
  if (!added) return fail('bad_request', { what: seriesRefusals.inAPartnership });
  if (w.phase === 'closed') return ok();
  const since = fresh(p, w.row.createdAt);
  const done = await w.run(() => {
    if (!w.parts.since.has(SINCE_KEYS.series)) writeSince(w.parts.since, since);
    keepSummary(w);
    return ok();
  });
  if (!done.ok) {
    await store.partnerships.removeWorkshop(w.id);
    return done;
  }
  return ok();
}
