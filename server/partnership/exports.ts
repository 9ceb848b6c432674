import { partnershipExport as x, trendLabel } from '../../shared/messages/partnership.ts';
import { partnership as words } from '../../shared/messages/partnership.ts';
import { PARTNERSHIP_SCHEMA, PARTNERSHIP_VERSION, type PartnershipExport } from '../../shared/partnership/schema.ts';
import type { WorkshopSummary } from '../../shared/partnership/series.ts';
import { trendSvg } from '../../shared/partnership/trend-svg.ts';
import type { LoadedPartnership } from '../store/partnerships.ts';

/**
 * A partnership's files: the JSON that moves it to another server, a CSV of every workshop's
 * ranking, and the trend picture. Each is built from the partnership's entries (aggregates,
 * actions, statuses); none names anyone.
 */

export function partnershipJson(p: LoadedPartnership, now: number): PartnershipExport {
  return {
    schema: PARTNERSHIP_SCHEMA,
    version: PARTNERSHIP_VERSION,
    exportedAt: new Date(now).toISOString(),
    partnership: { title: p.row.title, createdAt: new Date(p.row.createdAt).toISOString() },
    // The join codes are this server's: they mean nothing on another.
    workshops: p.entries.map((e): WorkshopSummary => ({ ...e.summary, code: null })),
  };
}

/** Every field quoted, quotes doubled, CRLF rows, UTF-8 with a BOM (as the workshop's CSV). */
const row = (fields: Array<string | number>) => fields.map((f) => `"${String(f).replace(/"/g, '""')}"`).join(',');
/** Cells starting with = + - @ would run as formulas in a spreadsheet; prefix them with '. */
const cell = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

export function rankingsCsv(p: LoadedPartnership, timeZone: string): string {
  const lines = [row(x.csvHeader)];
  for (const { summary: s } of p.entries) {
    for (const r of s.ranking) {
      const share = s.voters ? `${Math.round((r.supporters / s.voters) * 100)}%` : '0%';
      lines.push(
        row([
          cell(s.title),
          x.date(s.date, timeZone),
          r.rank,
          r.tied ? 'yes' : 'no',
          cell(r.text),
          cell(r.bone),
          r.dots,
          r.supporters,
          share,
        ]),
      );
    }
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export function partnershipTrendSvg(p: LoadedPartnership): string {
  const points = p.entries.map((e) => ({ label: trendLabel(e.summary.date), revealed: e.summary.revealed, bones: e.summary.boneWeights }));
  return trendSvg(x.trendTitle(p.row.title), points, { axis: x.trendAxis, alt: words.moved.trendAlt(points.length) });
}
