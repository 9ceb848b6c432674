import { Router, type Request } from 'express';
import QRCode from 'qrcode';
import { createWorkshopSchema } from '../../shared/commands.ts';
import type { Store } from '../store/store.ts';
import { createWorkshop } from '../workshop/create.ts';
import { isWellFormedCode, normalizeCode } from '../workshop/keys.ts';
import type { Registry } from '../workshop/registry.ts';
import { fail } from '../workshop/result.ts';

const baseUrl = (req: Request, publicUrl?: string) => publicUrl ?? `${req.protocol}://${req.get('host')}`;

export function workshopRoutes(store: Store, registry: Registry, now: () => number, publicUrl?: string): Router {
  const r = Router();

  r.post('/api/workshops', async (req, res) => {
    const parsed = createWorkshopSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      res.status(400).json(fail('bad_request', { what: `${i.path.join('.') || 'body'}: ${i.message}` }));
      return;
    }
    const { row, facilitatorKey } = await createWorkshop(store, parsed.data, now());
    const base = baseUrl(req, publicUrl);
    res.status(201).json({
      code: row.code,
      facilitatorKey,
      participantUrl: `${base}/w/${row.code}`,
      // The key travels in the fragment, which browsers never send to the server.
      facilitatorUrl: `${base}/w/${row.code}/facilitate#key=${facilitatorKey}`,
    });
  });

  r.get('/api/workshops/:code', async (req, res) => {
    const code = normalizeCode(req.params.code);
    const w = isWellFormedCode(code) ? await registry.byCode(code) : null;
    if (!w) {
      res.status(404).json(fail('unknown_workshop'));
      return;
    }
    res.json({
      code: w.row.code,
      title: w.meta('title'),
      template: w.meta('templateId'),
      head: w.meta('head'),
      phase: w.phase,
      bones: w.meta('bones'),
      noteCount: w.parts.notes.size + w.hidden.size,
    });
  });

  /** The projector's QR code, made here so no outside service ever sees the join link. */
  r.get('/api/workshops/:code/qr.svg', async (req, res) => {
    const code = normalizeCode(req.params.code);
    const w = isWellFormedCode(code) ? await registry.byCode(code) : null;
    if (!w) {
      res.status(404).json(fail('unknown_workshop'));
      return;
    }
    const svg = await QRCode.toString(`${baseUrl(req, publicUrl)}/w/${w.row.code}`, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
    res.type('image/svg+xml').send(svg);
  });

  return r;
}
