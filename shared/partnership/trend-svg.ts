import type { BoneShare } from './series.ts';

/**
 * The trend picture: each bone's share of the dots in each workshop of a partnership, as lines
 * over time. A pure function, so the partnership page draws the same picture the SVG and PNG
 * exports hold. Text is untrusted (titles and bone labels are people's words): every string is
 * XML-escaped, and the file holds no script, link or outside reference.
 */

export interface TrendPoint {
  /** Under the point on the time axis, e.g. "Mar 2027". */
  label: string;
  revealed: boolean;
  bones: BoneShare[];
}

export interface TrendBone {
  key: string;
  label: string;
  /** Per point, the share (0..1), or null where that workshop had no results or no such bone. */
  shares: Array<number | null>;
}

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
const n = (x: number) => Math.round(x * 10) / 10;

/** Colours told apart with the common colour-vision deficiencies (Okabe and Ito), and a dash each as well. */
export const TREND_COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];
const DASHES = ['', '8 4', '2 4', '12 4 2 4', '4 4', '16 6', '2 2'];

/** Each bone's line, bones matched across workshops by id, else by label (a changed template). */
export function trendBones(points: TrendPoint[]): TrendBone[] {
  const bones: TrendBone[] = [];
  const find = (b: BoneShare) =>
    bones.find((x) => x.key === b.id) ?? bones.find((x) => x.label.trim().toLowerCase() === b.label.trim().toLowerCase());
  points.forEach((p, i) => {
    if (!p.revealed) return;
    for (const b of p.bones) {
      let line = find(b);
      if (!line) bones.push((line = { key: b.id, label: b.label, shares: points.map(() => null) }));
      line.shares[i] = b.share;
    }
  });
  return bones;
}

const W = 1200;
const H = 640;
const LEFT = 90;
const RIGHT = 820;
const TOP = 96;
const BOTTOM = 540;

/** Words that do not fit are cut with an ellipsis (the legend is a fixed width). */
const cut = (s: string, max: number) => ([...s].length > max ? `${[...s].slice(0, max - 1).join('')}…` : s);

export function trendSvg(title: string, points: TrendPoint[], words: { axis: string; alt: string }): string {
  const bones = trendBones(points);
  const max = Math.max(0, ...bones.flatMap((b) => b.shares.filter((s): s is number => s !== null)));
  const top = Math.min(1, Math.ceil((max + 0.05) * 10) / 10) || 1;
  const x = (i: number) => (points.length <= 1 ? (LEFT + RIGHT) / 2 : LEFT + ((RIGHT - LEFT) * i) / (points.length - 1));
  const y = (share: number) => BOTTOM - ((BOTTOM - TOP) * share) / top;
  const out: string[] = [];
  out.push(`<text x="${LEFT - 60}" y="48" class="title">${esc(cut(title, 90))}</text>`);
  for (let g = 0; g <= 4; g++) {
    const share = (top * g) / 4;
    out.push(`<line x1="${LEFT}" x2="${RIGHT}" y1="${n(y(share))}" y2="${n(y(share))}" class="grid"/>`);
    out.push(`<text x="${LEFT - 10}" y="${n(y(share) + 5)}" class="tick" text-anchor="end">${Math.round(share * 100)}%</text>`);
  }
  out.push(`<text x="${LEFT - 60}" y="${TOP - 22}" class="axis">${esc(words.axis)}</text>`);
  points.forEach((p, i) => {
    out.push(`<text x="${n(x(i))}" y="${BOTTOM + 30}" class="tick" text-anchor="middle">${esc(cut(p.label, 16))}</text>`);
  });
  bones.forEach((b, k) => {
    const colour = TREND_COLOURS[k % TREND_COLOURS.length];
    const dash = DASHES[k % DASHES.length];
    // A gap where a workshop has no share for this bone: the line resumes after it.
    let d = '';
    let pen = false;
    b.shares.forEach((s, i) => {
      if (s === null) return void (pen = false);
      d += `${pen ? 'L' : 'M'}${n(x(i))} ${n(y(s))} `;
      pen = true;
    });
    if (d) out.push(`<path d="${d.trim()}" fill="none" stroke="${colour}" stroke-width="4"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`);
    b.shares.forEach((s, i) => {
      if (s !== null) out.push(`<circle cx="${n(x(i))}" cy="${n(y(s))}" r="6" fill="${colour}"/>`);
    });
    const last = [...b.shares].reverse().find((s) => s !== null);
    const ly = TOP + 8 + k * 40;
    out.push(
      `<line x1="${RIGHT + 30}" x2="${RIGHT + 70}" y1="${ly}" y2="${ly}" stroke="${colour}" stroke-width="4"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`,
    );
    out.push(
      `<text x="${RIGHT + 78}" y="${ly + 6}" class="legend">${esc(cut(b.label, 24))}${last !== undefined ? ` ${Math.round(last * 100)}%` : ''}</text>`,
    );
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(words.alt)}">
<title>${esc(words.alt)}</title>
<style>
  text { font-family: 'DejaVu Sans', Verdana, 'Helvetica Neue', Arial, sans-serif; fill: #1d2833; }
  .title { font-size: 26px; font-weight: 700; fill: #12355b; }
  .axis { font-size: 16px; fill: #4a5866; }
  .tick { font-size: 16px; fill: #4a5866; }
  .legend { font-size: 17px; }
  .grid { stroke: #d5dde5; stroke-width: 1; }
</style>
<rect width="${W}" height="${H}" fill="#ffffff"/>
${out.join('\n')}
</svg>
`;
}
