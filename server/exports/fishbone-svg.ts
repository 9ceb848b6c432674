import type { WorkshopExport } from '../../shared/export-schema.ts';
import { fishbonePicture } from '../../shared/fishbone/export-svg.ts';

/**
 * The fishbone as a standalone SVG file, every note in full (shared/fishbone/export-svg.ts).
 * It starts 1600 wide and widens, up to 4000, while it is taller than three quarters of its
 * width, so a busy board stays a landscape picture instead of a long strip.
 */
export const PICTURE_WIDTH = 1600;

/**
 * The PNG draws the notes with most dots up to this much text, the rest counted under their
 * bones: rasterising text costs about 30 µs a letter, so a 2,000-note board drawn whole took 19 s
 * and 1.5 GB (issue 21). 40,000 letters is about 250 notes, more than a real day's board.
 */
export const PNG_MAX_LETTERS = 40_000;

export function fishboneSvg(exp: WorkshopExport, opts: { maxLetters?: number } = {}): string {
  return fishbonePicture(
    { title: exp.workshop.title, head: exp.workshop.head, bones: exp.workshop.bones, notes: exp.notes, tally: exp.results },
    { width: PICTURE_WIDTH, grow: { aspect: 0.75, maxWidth: 4000 }, maxLetters: opts.maxLetters },
  );
}
