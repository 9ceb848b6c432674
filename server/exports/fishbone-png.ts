import { Resvg } from '@resvg/resvg-js';

/**
 * The SVG drawn to pixels on the server (resvg; the system's fonts, DejaVu Sans on Debian),
 * `zoom` pixels per unit. Most of the time goes on laying out the text, so it grows with the
 * number of words, not of pixels.
 */
export function svgToPng(svg: string, zoom = 1): Buffer {
  const r = new Resvg(svg, {
    background: '#ffffff',
    fitTo: zoom === 1 ? { mode: 'original' } : { mode: 'zoom', value: zoom },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return r.render().asPng();
}
