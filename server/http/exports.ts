import { Router, type Request, type Response } from 'express';
import { rankingCsv } from '../exports/csv.ts';
import { downloadName } from '../exports/file-name.ts';
import { fishboneSvg } from '../exports/fishbone-svg.ts';
import { reportMarkdown } from '../exports/markdown.ts';
import { exportWorkshop } from '../exports/model.ts';
import type { HeavyKind } from '../exports/render.ts';
import { RenderBusy, type RenderPool } from '../exports/render-pool.ts';
import { exportTimeZone } from '../exports/time-zone.ts';
import { tooMany, type Guard } from '../guard/guard.ts';
import { requireFacilitator, type FacilitatorLocals } from './facilitator-auth.ts';

const filename = (res: Response<unknown, FacilitatorLocals>, ext: string) =>
  `attachment; filename="${downloadName(res.locals.workshop.meta('title'), res.locals.workshop.row.code, ext)}"`;

const PPTX = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/**
 * The facilitator's downloads. Each is built from the export model (what the facilitator can
 * see); none names anyone. The builders are pure functions of that model; the heavy ones
 * (PNG, slides, Word) run on the render worker (server/exports/render-pool.ts).
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

  r.get('/api/workshops/:code/export/fishbone.svg', auth, (_req, res: Response<unknown, FacilitatorLocals>) => {
    res
      .set('content-disposition', filename(res, 'svg'))
      .type('image/svg+xml')
      .send(fishboneSvg(model(res)));
  });

  // The heavy ones are made on the render worker, and served again from its cache.
  const heavy = (kind: HeavyKind, ext: string, type: string) => async (_req: Request, res: Response<unknown, FacilitatorLocals>) => {
    const name = filename(res, ext);
    try {
      const body = await pool.render({ kind, model: model(res), timeZone }, res.locals.workshop.id);
      res.set('content-disposition', name).type(type).send(body);
    } catch (err) {
      if (err instanceof RenderBusy) return tooMany(res, 2);
      throw err;
    }
  };
  r.get('/api/workshops/:code/export/fishbone.png', auth, heavy('png', 'png', 'image/png'));
  r.get('/api/workshops/:code/export/slides.pptx', auth, heavy('pptx', 'pptx', PPTX));
  r.get('/api/workshops/:code/export/report.docx', auth, heavy('docx', 'docx', DOCX));

  return r;
}
