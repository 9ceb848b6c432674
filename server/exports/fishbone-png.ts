import { Resvg } from '@resvg/resvg-js';

/** The most pixels a PNG is drawn with (a bigger picture is scaled down to fit): 24 MP, 96 MB of raster. */
export const PNG_MAX_PIXELS = 24_000_000;

/**
 * The SVG drawn to pixels on the server (resvg; the system's fonts, DejaVu Sans on Debian),
 * `zoom` pixels per unit, scaled down to at most PNG_MAX_PIXELS. Most of the time goes on
 * laying out the text, so it grows with the number of letters, not of pixels.
 */
export function svgToPng(svg: string, zoom = 1): Buffer {
  const w = Number(/width="(\d+(?:\.\d+)?)"/.exec(svg)?.[1] ?? 0);
  const h = Number(/height="(\d+(?:\.\d+)?)"/.exec(svg)?.[1] ?? 0);
  const fit = w > 0 && h > 0 ? Math.min(zoom, Math.sqrt(PNG_MAX_PIXELS / (w * h))) : zoom;
  const r = new Resvg(svg, {
    background: '#ffffff',
    fitTo: fit === 1 ? { mode: 'original' } : { mode: 'zoom', value: fit },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return r.render().asPng();
}
