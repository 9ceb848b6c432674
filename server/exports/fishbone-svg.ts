import { readBoard } from '../../shared/doc.ts';
import { layoutFishbone } from '../../shared/fishbone/layout.ts';
import { approxMeasure } from '../../shared/fishbone/text.ts';
import type { FishboneLayout, NoteBox } from '../../shared/fishbone/types.ts';
import { ribStyle } from '../../shared/fishbone/weight-style.ts';
import { board as words } from '../../shared/messages/board.ts';
import { boneWeights } from '../../shared/ranking.ts';
import type { Workshop } from '../workshop/workshop.ts';

/**
 * The fishbone as a standalone SVG file: the same pure layout the pages draw with, bones weighted
 * by their share of dots once revealed. Note text is untrusted: every string is XML-escaped.
 */
const WIDTH = 1600;
/** DejaVu Sans (what the PNG is drawn with) runs wider than the average the layout assumes. */
const measure = (text: string, size: number, bold?: boolean) => approxMeasure(text, size, bold) * 1.12;
const t = words.fishbone;

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
const n = (x: number) => Math.round(x * 10) / 10;

const STYLE = `
  text { font-family: 'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif; }
  .brand { fill: #12355b; } .accent { fill: #0b6e4f; } .white { fill: #fff; font-weight: 700; }
  .badge { fill: #e4ecf4; font-weight: 600; } .shelf { fill: #33404d; font-weight: 700; }
  .paper { fill: #fff59d; stroke: #cdbd3c; stroke-width: 1; } .shadow { fill: rgba(0,0,0,0.14); }
  .band { fill: #e9f0f7; } .ink { fill: #2b2600; } .dots { fill: #a4161a; }
  .more rect { fill: #fff; stroke: #6b7785; stroke-width: 1.5; stroke-dasharray: 6 4; } .more text { fill: #4a5560; font-weight: 700; }
`;

function note(b: NoteBox): string {
  const s = b.font * 0.8;
  const lines = b.lines
    .map((line, i) => `<tspan x="${n(b.padX)}" y="${n(b.padY + b.font * 0.95 + i * b.lineHeight)}">${esc(line)}</tspan>`)
    .join('');
  let out = `<g transform="translate(${n(b.x)} ${n(b.y)})"><rect class="shadow" x="2" y="3" width="${n(b.w)}" height="${n(b.h)}" rx="3"/>`;
  out += `<rect class="paper" width="${n(b.w)}" height="${n(b.h)}" rx="3"/><text class="ink" font-size="${n(b.font)}">${lines}</text>`;
  if (b.raised) {
    out += `<rect class="brand" x="${n(b.w - b.raisedW - 3)}" y="3" width="${n(b.raisedW)}" height="${n(s * 1.45)}" rx="${n(s * 0.7)}"/>`;
    out += `<text class="white" x="${n(b.w - b.raisedW / 2 - 3)}" y="${n(3 + s * 1.08)}" font-size="${n(s)}" text-anchor="middle">${esc(b.raised)}</text>`;
  }
  if (b.dots) {
    out += `<rect class="dots" x="${n(b.w - b.dotsW - 3)}" y="${n(b.h - s * 1.45 - 3)}" width="${n(b.dotsW)}" height="${n(s * 1.45)}" rx="${n(s * 0.7)}"/>`;
    out += `<text class="white" x="${n(b.w - b.dotsW / 2 - 3)}" y="${n(b.h - 3 - s * 0.37)}" font-size="${n(s)}" text-anchor="middle">${esc(b.dots)}</text>`;
  }
  return `${out}</g>`;
}

function draw(layout: FishboneLayout, share: Map<string, number> | null): string {
  const maxShare = Math.max(0, ...(share?.values() ?? []));
  const parts: string[] = [`<rect width="100%" height="100%" fill="#fff"/>`];
  for (const bone of layout.bones) parts.push(`<path class="band" d="${bone.band}"/>`);
  parts.push(`<path class="brand" d="${layout.tail}"/>`);
  parts.push(
    `<line x1="${n(layout.spine.x1)}" y1="${n(layout.spine.y)}" x2="${n(layout.spine.x2)}" y2="${n(layout.spine.y)}" stroke="#12355b" stroke-width="${n(layout.spine.stroke)}" stroke-linecap="round"/>`,
  );
  for (const bone of layout.bones) {
    const rs = ribStyle(share ? (share.get(bone.id) ?? 0) : null, maxShare, layout.ribStroke);
    parts.push(
      `<line x1="${n(bone.rib.x1)}" y1="${n(bone.rib.y1)}" x2="${n(bone.rib.x2)}" y2="${n(bone.rib.y2)}" stroke="${rs.stroke}" stroke-width="${n(rs.width)}" stroke-linecap="round"/>`,
    );
    for (const sh of bone.shelves) {
      parts.push(
        `<line x1="${n(sh.x1)}" y1="${n(sh.y)}" x2="${n(sh.x2)}" y2="${n(sh.y)}" stroke="${rs.stroke}" stroke-width="${n(Math.max(2, layout.ribStroke * 0.6))}"/>`,
      );
      parts.push(`<text class="shelf" x="${n(sh.x1)}" y="${n(sh.y - sh.font * 0.3)}" font-size="${n(sh.font)}">${esc(sh.label)}</text>`);
    }
    const heaviest = share && maxShare > 0 && share.get(bone.id) === maxShare;
    const bx = bone.box;
    parts.push(
      `<rect class="${heaviest ? 'accent' : 'brand'}" x="${n(bx.x)}" y="${n(bx.y)}" width="${n(bx.w)}" height="${n(bx.h)}" rx="6"/>`,
    );
    parts.push(
      `<text class="white" x="${n(bx.x + bx.w / 2)}" y="${n(bx.y + layout.fonts.label * 1.15 - (layout.fonts.label - bone.labelFont) * 0.4)}" font-size="${n(bone.labelFont)}" text-anchor="middle">${esc(bone.label)}</text>`,
    );
    if (bone.badge) {
      parts.push(
        `<text class="badge" x="${n(bx.x + bx.w / 2)}" y="${n(bx.y + layout.fonts.label * 1.3 + layout.fonts.badge * 1.15)}" font-size="${n(layout.fonts.badge)}" text-anchor="middle">${esc(bone.badge)}</text>`,
      );
    }
    for (const b of bone.notes) parts.push(note(b));
    for (const m of bone.more) {
      parts.push(
        `<g class="more" transform="translate(${n(m.x)} ${n(m.y)})"><rect width="${n(m.w)}" height="${n(m.h)}" rx="3"/><text x="${n(m.w / 2)}" y="${n(m.h / 2 + m.font * 0.35)}" font-size="${n(m.font * 1.1)}" text-anchor="middle">${esc(m.text)}</text></g>`,
      );
    }
  }
  const h = layout.head;
  parts.push(`<path class="brand" d="${h.path}"/>`);
  const tspans = h.lines
    .map(
      (line, i) =>
        `<tspan x="${n(h.x + h.w * 0.42)}" y="${n(h.y + h.h / 2 + (i - (h.lines.length - 1) / 2) * h.lineHeight + h.font * 0.35)}">${esc(line)}</tspan>`,
    )
    .join('');
  parts.push(`<text class="white" font-size="${n(h.font)}" text-anchor="middle">${tspans}</text>`);
  return parts.join('\n');
}

export function fishboneSvg(w: Workshop): string {
  const board = readBoard(w.doc);
  const weights = board.tally
    ? boneWeights(
        board.meta.bones.map((b) => b.id),
        board.tally,
      )
    : null;
  const share = weights ? new Map(weights.map((x) => [x.boneId, x.share])) : null;
  const dotsOf = (id: string) => board.tally?.notes[id]?.dots ?? 0;
  // After the reveal the most-dotted notes come first, so a crowded bone keeps the ones that matter.
  const notes = board.tally ? [...board.notes].sort((a, b) => dotsOf(b.id) - dotsOf(a.id)) : board.notes;
  const layout = layoutFishbone(
    {
      head: board.meta.head,
      bones: board.meta.bones,
      notes: notes.map((x) => ({
        id: x.id,
        boneId: x.boneId,
        subBoneId: x.subBoneId,
        text: x.text,
        raisedBy: x.raisedBy,
        dots: board.tally ? dotsOf(x.id) || null : null,
      })),
      badges: Object.fromEntries(board.meta.bones.map((b) => [b.id, share?.has(b.id) ? t.weightBadge(share.get(b.id)!) : ''])),
    },
    { width: WIDTH, height: null, measure, words: { more: t.more, raised: t.raised, dots: t.dots } },
  );
  const title = esc(`${board.meta.title}: ${board.meta.head}`);
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${layout.width} ${layout.height}" width="${layout.width}" height="${layout.height}" role="img" aria-label="${title}">
<title>${title}</title>
<style>${STYLE}</style>
${draw(layout, share)}
</svg>
`;
}
