import { Router, type Response } from 'express';
import { rankingCsv } from '../exports/csv.ts';
import { svgToPng } from '../exports/fishbone-png.ts';
import { fishboneSvg } from '../exports/fishbone-svg.ts';
import { reportMarkdown } from '../exports/markdown.ts';
import { exportWorkshop } from '../exports/model.ts';
import { outcomeOf } from '../exports/outcome.ts';
import { wordReport } from '../exports/report-docx.ts';
import { slidesPptx } from '../exports/slides.ts';
import { exportTimeZone } from '../exports/time-zone.ts';
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

const PPTX = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/**
 * The facilitator's downloads. Each is built from the export model (what the facilitator can
 * see); none names anyone. The builders are pure functions of that model, so the heavy ones
 * (PNG, slides, Word) can move to a worker without change.
 */
export function exportRoutes(guard: Guard, now: () => number): Router {
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

  r.get('/api/workshops/:code/export/fishbone.png', auth, (_req, res: Response<unknown, FacilitatorLocals>) => {
    res
      .set('content-disposition', filename(res, 'png'))
      .type('image/png')
      .send(svgToPng(fishboneSvg(model(res))));
  });

  r.get('/api/workshops/:code/export/slides.pptx', auth, async (_req, res: Response<unknown, FacilitatorLocals>) => {
    const name = filename(res, 'pptx');
    const body = await slidesPptx(outcomeOf(model(res), { timeZone }));
    res.set('content-disposition', name).type(PPTX).send(body);
  });

  r.get('/api/workshops/:code/export/report.docx', auth, async (_req, res: Response<unknown, FacilitatorLocals>) => {
    const name = filename(res, 'docx');
    const body = await wordReport(model(res), { timeZone });
    res.set('content-disposition', name).type(DOCX).send(body);
  });

  return r;
}
