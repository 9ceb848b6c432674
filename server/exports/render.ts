import type { WorkshopExport } from '../../shared/export-schema.ts';
import { svgToPng } from './fishbone-png.ts';
import { fishboneSvg } from './fishbone-svg.ts';
import { outcomeOf } from './outcome.ts';
import { wordReport } from './report-docx.ts';
import { slidesPptx } from './slides.ts';

/** The exports that cost real CPU (a 300-note board: PNG 2.5 s, Word 2.3 s), made off the event loop. */
export type HeavyKind = 'png' | 'pptx' | 'docx';

export interface RenderJob {
  kind: HeavyKind;
  model: WorkshopExport;
  timeZone: string;
}

/** One heavy export from its model: a pure function, run in the render worker. */
export async function render({ kind, model, timeZone }: RenderJob): Promise<Buffer> {
  switch (kind) {
    case 'png':
      return svgToPng(fishboneSvg(model));
    case 'pptx':
      return slidesPptx(outcomeOf(model, { timeZone }));
    case 'docx':
      return wordReport(model, { timeZone });
  }
}
