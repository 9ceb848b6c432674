import { approxMeasure, type Measure } from '../../../../shared/fishbone/text.ts';

/**
 * Real text widths from a canvas in the page's own font, so wrapped lines fill the sticky notes
 * without spilling. Widths are measured once per text at 100 units and scaled.
 */
export function canvasMeasure(fontFamily: string): Measure {
  const ctx = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
  if (!ctx) return approxMeasure;
  const cache = new Map<string, number>();
  return (text, size, bold = false) => {
    const key = `${bold ? 'b' : 'n'}${text}`;
    let w = cache.get(key);
    if (w === undefined) {
      if (cache.size > 20_000) cache.clear();
      ctx.font = `${bold ? 700 : 400} 100px ${fontFamily}`;
      w = ctx.measureText(text).width;
      cache.set(key, w);
    }
    return (w * size) / 100;
  };
}
