import { Resvg } from '@resvg/resvg-js';

/** The SVG drawn to pixels on the server (resvg; the system's fonts, DejaVu Sans on Debian). */
export function svgToPng(svg: string): Buffer {
  const r = new Resvg(svg, {
    background: '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return r.render().asPng();
}
