import { createHash } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { rankingCsv } from '../exports/csv.ts';
import { downloadName } from '../exports/file-name.ts';
import { reportMarkdown } from '../exports/markdown.ts';
import { exportWorkshop } from '../exports/model.ts';
import type { HeavyKind } from '../exports/render.ts';
import { RenderBusy, RenderFailed, type RenderPool } from '../exports/render-pool.ts';
import { exportTimeZone } from '../exports/time-zone.ts';
import { tooMany, type Guard } from '../guard/guard.ts';
import { docVersion } from '../workshop/doc-version.ts';
import { fail } from '../workshop/result.ts';
import type { Workshop } from '../workshop/workshop.ts';
import { requireFacilitator, type FacilitatorLocals } from './facilitator-auth.ts';

const filename = (res: Response<unknown, FacilitatorLocals>, ext: string) =>
  `attachment; filename="${downloadName(res.locals.workshop.meta('title'), res.locals.workshop.row.code, ext)}"`;

const PPTX = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/**
 * What an export of this workshop holds right now, as a key: the document's state and the
 * facilitator-only breakdown (the only private input of an export), so a repeated download is
 * served from the cache without building anything.
 */
const stateKey = (w: Workshop) =>
  `${w.id} ${docVersion(w.doc)} ${createHash('sha256')
    .update(w.private.breakdown ?? '')
    .digest('base64url')}`;

/**
 * The facilitator's downloads. Each is built from the export model (what the facilitator can
 * see); none names anyone. The light ones (CSV, JSON, Markdown) are built here; the heavy ones
 * (SVG, PNG, slides, Word) on the render pool's workers (server/exports/render-pool.ts), queued
 * fairly per address and per workshop and dropped when the client goes.
 */
export function exportRoutes(guard: Guard, pool: RenderPool, now: () => number): Router {
  const r = Router();
  // The facilitator's key, then that key's allowance: rendering a picture costs real CPU.
  const auth = requireFacilitator(guard, 'export');
  const timeZone = exportTimeZone();
  const model = (res: Response<unknown, FacilitatorLocals>) => exportWorkshop(res.locals.workshop, now());

  r.get('/api/workshops/:code/export/ranking.csv', auth, (_req, res: Response<unknown, FacilitatorLocals>) => {
    res
      .set('content-disposition', filename(res, 'csv'))
      .type('text/csv; charset=utf-8')
      .send(rankingCsv(model(res)));
  });

  r.get('/api/workshops/:code/export/workshop.json', auth, (_req, res: Response<unknown, FacilitatorLocals>) => {
    res.set('content-disposition', filename(res, 'json')).json(model(res));
  });

  r.get('/api/workshops/:code/export/report.md', auth, (_req, res: Response<unknown, FacilitatorLocals>) => {
    res
      .set('content-disposition', filename(res, 'md'))
      .type('text/markdown; charset=utf-8')
      .send(reportMarkdown(model(res), { timeZone }));
  });

  const heavy = (kind: HeavyKind, ext: string, type: string) => async (req: Request, res: Response<unknown, FacilitatorLocals>) => {
    const w = res.locals.workshop;
    const name = filename(res, ext);
    // A client that goes before its file is made takes its job out of the queue (or stops it).
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    try {
      const body = await pool.render({
        key: `${stateKey(w)} ${kind} ${timeZone}`,
        job: { kind, model: model(res), timeZone },
        workshop: w.id,
        address: guard.addressOf(req),
        signal: gone.signal,
      });
      if (!res.headersSent && !res.writableEnded) res.set('content-disposition', name).type(type).send(body);
    } catch (err) {
      if (err instanceof RenderBusy) return tooMany(res, 2);
      if (err instanceof RenderFailed) {
        if (!res.writableEnded) res.status(503).json(fail('export_failed', { what: err.message }));
        return;
      }
      throw err;
    }
  };
  r.get('/api/workshops/:code/export/fishbone.svg', auth, heavy('svg', 'svg', 'image/svg+xml'));
  r.get('/api/workshops/:code/export/fishbone.png', auth, heavy('png', 'png', 'image/png'));
  r.get('/api/workshops/:code/export/slides.pptx', auth, heavy('pptx', 'pptx', PPTX));
  r.get('/api/workshops/:code/export/report.docx', auth, heavy('docx', 'docx', DOCX));

  return r;
}
