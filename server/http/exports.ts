import { Router, type Response } from 'express';
import { exportWorkshop } from '../exports/model.ts';
import { rankingCsv } from '../exports/csv.ts';
import { svgToPng } from '../exports/fishbone-png.ts';
import { fishboneSvg } from '../exports/fishbone-svg.ts';
import { reportMarkdown } from '../exports/markdown.ts';
import type { Guard } from '../guard/guard.ts';
import { requireFacilitator, type FacilitatorLocals } from './facilitator-auth.ts';

const filename = (res: Response<unknown, FacilitatorLocals>, ext: string) => {
  const w = res.locals.workshop;
  const slug =
    w
      .meta('title')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'workshop';
  return `attachment; filename="fishbone-${slug}-${w.row.code}.${ext}"`;
};

/** The facilitator's downloads. Each is built from what the facilitator can see; none names anyone. */
export function exportRoutes(guard: Guard, now: () => number): Router {
  const r = Router();
  // The facilitator's key, then that key's allowance: rendering a picture costs real CPU.
  const auth = requireFacilitator(guard, 'export');

  r.get('/api/workshops/:code/export/ranking.csv', auth, (_req, res: Response<unknown, FacilitatorLocals>) => {
    res
      .set('content-disposition', filename(res, 'csv'))
      .type('text/csv; charset=utf-8')
      .send(rankingCsv(exportWorkshop(res.locals.workshop, now())));
  });

  r.get('/api/workshops/:code/export/workshop.json', auth, (_req, res: Response<unknown, FacilitatorLocals>) => {
    res.set('content-disposition', filename(res, 'json')).json(exportWorkshop(res.locals.workshop, now()));
  });

  r.get('/api/workshops/:code/export/report.md', auth, (_req, res: Response<unknown, FacilitatorLocals>) => {
    res
      .set('content-disposition', filename(res, 'md'))
      .type('text/markdown; charset=utf-8')
      .send(reportMarkdown(exportWorkshop(res.locals.workshop, now())));
  });

  r.get('/api/workshops/:code/export/fishbone.svg', auth, (_req, res: Response<unknown, FacilitatorLocals>) => {
    res.set('content-disposition', filename(res, 'svg')).type('image/svg+xml').send(fishboneSvg(res.locals.workshop));
  });

  r.get('/api/workshops/:code/export/fishbone.png', auth, (_req, res: Response<unknown, FacilitatorLocals>) => {
    res
      .set('content-disposition', filename(res, 'png'))
      .type('image/png')
      .send(svgToPng(fishboneSvg(res.locals.workshop)));
  });

  return r;
}
