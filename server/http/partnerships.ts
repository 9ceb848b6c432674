import { Router, type Request, type Response } from 'express';
import type { Failure } from '../../shared/errors.ts';
import { seriesRefusals } from '../../shared/messages/partnership.ts';
import { refusals } from '../../shared/messages/refusals.ts';
import { createPartnershipSchema, partnershipRefSchema } from '../../shared/partnership/schema.ts';
import { LINKS_PER_PARTNERSHIP } from '../../shared/partnership/series.ts';
import { safeId } from '../../shared/commands.ts';
import { svgToPng } from '../exports/fishbone-png.ts';
import { exportTimeZone } from '../exports/time-zone.ts';
import type { Guard } from '../guard/guard.ts';
import { requirePartnership, type PartnershipLocals } from '../partnership/access.ts';
import { createPartnership } from '../partnership/create.ts';
import { partnershipJson, partnershipTrendSvg, rankingsCsv } from '../partnership/exports.ts';
import { importPartnership } from '../partnership/import.ts';
import { addToPartnership, presentedPartnership } from '../partnership/start.ts';
import { partnershipView } from '../partnership/view.ts';
import type { Store } from '../store/store.ts';
import { newId, newKey, sha256 } from '../workshop/keys.ts';
import { fail, invalid } from '../workshop/result.ts';
import { requireFacilitator, type FacilitatorLocals } from './facilitator-auth.ts';

type Locals = Response<unknown, PartnershipLocals>;

const baseUrl = (req: Request, publicUrl?: string) => publicUrl ?? `${req.protocol}://${req.get('host')}`;

/** The HTTP status a refusal about a partnership goes with. */
export const statusOf = (f: Failure): number =>
  f.code === 'unknown_partnership' || f.code === 'unknown_workshop'
    ? 404
    : f.code === 'forbidden'
      ? 403
      : f.code === 'unavailable'
        ? 503
        : 400;

/**
 * Partnerships (issue 26): named series of workshops, each starting from the last. Made by
 * anyone (a per-address allowance, like workshops), then reached with the key they answer
 * with, as `Authorization: Bearer KEY` (docs/PROTOCOL.md, "Partnerships"). A workshop starts in
 * one through `POST /api/workshops` (server/http/workshops.ts) or joins one later here.
 */
export function partnershipRoutes(store: Store, guard: Guard, now: () => number, publicUrl?: string): Router {
  const r = Router();
  const auth = requirePartnership(store.partnerships, guard);
  // Files cost CPU (the PNG above all): each key's allowance, as a workshop's exports.
  const heavy = requirePartnership(store.partnerships, guard, 'export');
  const timeZone = exportTimeZone();
  const created = (req: Request, res: Response, { id, key }: { id: string; key: string }) =>
    // The key travels in the fragment, which browsers never send to the server.
    res.status(201).json({ id, key, url: `${baseUrl(req, publicUrl)}/p/${id}#key=${key}` });

  r.post('/api/partnerships', guard.http('partnership'), async (req, res) => {
    const parsed = createPartnershipSchema.safeParse(req.body ?? {});
    if (!parsed.success) return void res.status(400).json(invalid(parsed.error));
    created(req, res, await createPartnership(store.partnerships, parsed.data.title, now()));
  });

  /** Moving between servers: a partnership's JSON export becomes a new partnership. */
  r.post('/api/partnerships/import', guard.http('import'), async (req, res) => {
    const result = await importPartnership(store.partnerships, req.body, now());
    if ('ok' in result) return void res.status(400).json(result);
    created(req, res, result);
  });

  r.get('/api/partnerships/:id', auth, (_req, res: Locals) => {
    res.set('cache-control', 'no-store').json(partnershipView(res.locals.partnership, res.locals.key));
  });

  /** The partnership and its history go; its workshops stay, each on its own. Only the owner link may. */
  r.delete('/api/partnerships/:id', auth, async (_req, res: Locals) => {
    if (res.locals.key.kind !== 'owner') return void res.status(403).json(fail('forbidden', { what: seriesRefusals.ownerDeletes }));
    await store.partnerships.delete(res.locals.partnership.row.id);
    res.json({ ok: true });
  });

  /** A co-facilitator link: opens the partnership and starts workshops in it. Shown once. */
  r.post('/api/partnerships/:id/links', auth, async (_req, res: Locals) => {
    const { partnership: p, key } = res.locals;
    if (key.kind !== 'owner') return void res.status(403).json(fail('forbidden', { what: seriesRefusals.ownerAddsLinks }));
    if (p.keys.filter((k) => k.kind === 'co' && !k.revoked).length >= LINKS_PER_PARTNERSHIP)
      return void res.status(400).json(fail('limit_reached', { what: seriesRefusals.links(LINKS_PER_PARTNERSHIP) }));
    const link = { id: newId(), key: newKey() };
    await store.partnerships.addKey(p.row.id, { id: link.id, keyHash: sha256(link.key), kind: 'co', createdAt: now(), revoked: false });
    res.status(201).json({ link });
  });

  r.delete('/api/partnerships/:id/links/:linkId', auth, async (req, res: Locals) => {
    const { partnership: p, key } = res.locals;
    if (key.kind !== 'owner') return void res.status(403).json(fail('forbidden', { what: seriesRefusals.ownerRevokesLinks }));
    const linkId = safeId.safeParse(req.params.linkId);
    const k = linkId.success ? p.keys.find((x) => x.id === linkId.data && x.kind === 'co' && !x.revoked) : undefined;
    if (!k) return void res.status(404).json(fail('not_found', { what: refusals.notFound.link }));
    await store.partnerships.revokeKey(p.row.id, k.id);
    res.json({ ok: true });
  });

  const slug = (res: Locals) =>
    res.locals.partnership.row.title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'partnership';
  const file = (res: Locals, name: string) => `attachment; filename="partnership-${slug(res)}-${name}"`;

  r.get('/api/partnerships/:id/export/partnership.json', heavy, (_req, res: Locals) => {
    res.set('content-disposition', file(res, 'partnership.json')).json(partnershipJson(res.locals.partnership, now()));
  });
  r.get('/api/partnerships/:id/export/rankings.csv', heavy, (_req, res: Locals) => {
    res
      .set('content-disposition', file(res, 'rankings.csv'))
      .type('text/csv; charset=utf-8')
      .send(rankingsCsv(res.locals.partnership, timeZone));
  });
  r.get('/api/partnerships/:id/export/trend.svg', heavy, (_req, res: Locals) => {
    res.set('content-disposition', file(res, 'trend.svg')).type('image/svg+xml').send(partnershipTrendSvg(res.locals.partnership));
  });
  // A small fixed-size picture (a few dozen shapes and words): drawn here, not on the render pool.
  r.get('/api/partnerships/:id/export/trend.png', heavy, (_req, res: Locals) => {
    res
      .set('content-disposition', file(res, 'trend.png'))
      .type('image/png')
      .send(svgToPng(partnershipTrendSvg(res.locals.partnership)));
  });

  /**
   * A workshop run before (or outside) the partnership joins it: its facilitator key as Bearer,
   * the partnership's id and key in the body. Under /api/workshops/CODE, so that on several
   * nodes it reaches the node that holds the workshop.
   */
  r.post('/api/workshops/:code/partnership', requireFacilitator(guard), async (req, res: Response<unknown, FacilitatorLocals>) => {
    const parsed = partnershipRefSchema.safeParse(req.body ?? {});
    if (!parsed.success) return void res.status(400).json(invalid(parsed.error));
    const p = await presentedPartnership(store, parsed.data);
    if ('ok' in p) return void res.status(statusOf(p)).json(p);
    const done = await addToPartnership(store, p, res.locals.workshop);
    if (!done.ok) return void res.status(statusOf(done)).json(done);
    res.json({ ok: true });
  });

  return r;
}
