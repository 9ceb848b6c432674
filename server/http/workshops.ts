import { common } from '../../shared/messages/core.ts';
import { refusals } from '../../shared/messages/refusals.ts';
import { Router, type Request, type Response } from 'express';
import QRCode from 'qrcode';
import { createWorkshopSchema } from '../../shared/commands.ts';
import type { Store } from '../store/store.ts';
import { IDLE_TIMER, readBoard } from '../../shared/doc.ts';
import { importWorkshop } from '../exports/import.ts';
import { createWorkshop, saveNewWorkshop, type Created } from '../workshop/create.ts';
import type { Workshop } from '../workshop/workshop.ts';
import { requireFacilitator, type FacilitatorLocals } from './facilitator-auth.ts';
import type { Registry } from '../workshop/registry.ts';
import type { Guard } from '../guard/guard.ts';
import { fail, invalid } from '../workshop/result.ts';
import { ANYONE_CREATES, type Creators } from '../auth/creators.ts';
import { presentedPartnership, startInPartnership } from '../partnership/start.ts';
import { statusOf } from './partnerships.ts';

const baseUrl = (req: Request, publicUrl?: string) => publicUrl ?? `${req.protocol}://${req.get('host')}`;

/** Tell everyone still connected that a workshop is gone, and disconnect them. */
export type EndWorkshop = (w: Workshop, reason: string) => void;

export function workshopRoutes(
  store: Store,
  registry: Registry,
  guard: Guard,
  now: () => number,
  end: EndWorkshop,
  publicUrl?: string,
  creators: Creators = ANYONE_CREATES,
): Router {
  const r = Router();
  const auth = requireFacilitator(guard);
  const created = (req: Request, res: Response, { row, facilitatorKey }: Created) => {
    const base = baseUrl(req, publicUrl);
    res.status(201).json({
      code: row.code,
      facilitatorKey,
      participantUrl: `${base}/w/${row.code}`,
      // The key travels in the fragment, which browsers never send to the server.
      facilitatorUrl: `${base}/w/${row.code}/facilitate#key=${facilitatorKey}`,
    });
  };

  r.post('/api/workshops', guard.http('create'), creators.gate, async (req, res) => {
    const parsed = createWorkshopSchema.safeParse(req.body ?? {});
    if (!parsed.success) return void res.status(400).json(invalid(parsed.error));
    // In a partnership (issue 26): it starts from the partnership's last workshop.
    const p = parsed.data.partnership ? await presentedPartnership(store, parsed.data.partnership) : null;
    if (p && 'ok' in p) return void res.status(statusOf(p)).json(p);
    created(
      req,
      res,
      await creators.save(res, (ownerKey) =>
        p ? startInPartnership(store, p, parsed.data, now(), ownerKey) : createWorkshop(store, parsed.data, now(), ownerKey),
      ),
    );
  });

  /** Moving between servers: a JSON export becomes a new workshop. */
  r.post('/api/workshops/import', guard.http('import'), creators.gate, async (req, res) => {
    const result = await creators.save(res, (ownerKey) => importWorkshop(store, req.body, now(), ownerKey));
    if ('ok' in result) return void res.status(400).json(result);
    created(req, res, result);
  });

  /** Same bones, prompts and settings; no notes, no votes. */
  r.post('/api/workshops/:code/duplicate', auth, creators.gate, async (req, res: Response<unknown, FacilitatorLocals>) => {
    const { meta } = readBoard(res.locals.workshop.doc);
    // The run's own state stays behind: the projector's mode and focus, the round, a closed vote.
    const { participantCount: _dropped, screen: _screen, round: _round, votingClosed: _closed, ...settings } = meta;
    const copy = { ...settings, phase: 'lobby' as const, locked: false, notesRevealed: false, timer: IDLE_TIMER };
    created(req, res, await creators.save(res, (ownerKey) => saveNewWorkshop(store, { meta: copy }, now(), ownerKey)));
  });

  /** Deleting removes every trace, private tables included. Only the owner link may. */
  r.delete('/api/workshops/:code', auth, async (_req, res: Response<unknown, FacilitatorLocals>) => {
    const { workshop: w, key } = res.locals;
    if (key.kind !== 'owner') return void res.status(403).json(fail('forbidden', { what: refusals.forbidden.ownerDeletes }));
    await w.run(() => ({ ok: true }));
    await store.deleteWorkshop(w.id);
    // Its partnership's record of it goes too (a retention sweep, unlike this, leaves it).
    await store.partnerships.removeWorkshop(w.id);
    registry.forget(w.id, w.row.code);
    end(w, common.ended.deleted);
    res.json({ ok: true });
  });

  r.get('/api/workshops/:code', async (req, res) => {
    const w = await guard.requested(req, res);
    if (!w) return;
    res.json({
      code: w.row.code,
      title: w.meta('title'),
      template: w.meta('templateId'),
      head: w.meta('head'),
      phase: w.phase,
      bones: w.meta('bones'),
      noteCount: w.noteCount + w.private.hidden.size,
    });
  });

  /** The projector's QR code, made here so no outside service ever sees the join link. */
  r.get('/api/workshops/:code/qr.svg', async (req, res) => {
    const w = await guard.requested(req, res);
    if (!w) return;
    const svg = await QRCode.toString(`${baseUrl(req, publicUrl)}/w/${w.row.code}`, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
    res.type('image/svg+xml').send(svg);
  });

  return r;
}
