import type { WorkshopExport } from '../../shared/export-schema.ts';
import { svgToPng } from './fishbone-png.ts';
import { fishboneSvg, PNG_MAX_LETTERS } from './fishbone-svg.ts';
import { outcomeOf } from './outcome.ts';
import { wordReport } from './report-docx.ts';
import { slidesPptx } from './slides.ts';

/**
 * The exports that cost real CPU, made off the event loop (server/exports/render-pool.ts). At the
 * caps (2,000 notes) the SVG's layout is about a second; the PNG and the Word report's pictures
 * draw a bounded amount of text, since rasterising text costs per letter.
 */
export type HeavyKind = 'svg' | 'png' | 'pptx' | 'docx';

export interface RenderJob {
  kind: HeavyKind;
  model: WorkshopExport;
  timeZone: string;
}

/** One heavy export from its model: a pure function, run in the render worker. */
export async function render({ kind, model, timeZone }: RenderJob): Promise<Buffer> {
  switch (kind) {
    case 'svg':
      return Buffer.from(fishboneSvg(model));
    case 'png':
      return svgToPng(fishboneSvg(model, { maxLetters: PNG_MAX_LETTERS }));
    case 'pptx':
      return slidesPptx(outcomeOf(model, { timeZone }));
    case 'docx':
      return wordReport(model, { timeZone });
  }
}
