import type { WorkshopExport } from '../../shared/export-schema.ts';
import { fishbonePicture } from '../../shared/fishbone/export-svg.ts';

/**
 * The fishbone as a standalone SVG file, every note in full (shared/fishbone/export-svg.ts).
 * It starts 1600 wide and widens, up to 4000, while it is taller than three quarters of its
 * width, so a busy board stays a landscape picture instead of a long strip.
 */
export const PICTURE_WIDTH = 1600;

export function fishboneSvg(exp: WorkshopExport): string {
  return fishbonePicture(
    { title: exp.workshop.title, head: exp.workshop.head, bones: exp.workshop.bones, notes: exp.notes, tally: exp.results },
    { width: PICTURE_WIDTH, grow: { aspect: 0.75, maxWidth: 4000 } },
  );
}
