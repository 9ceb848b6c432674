import { cpus } from 'node:os';
import type { Options, Scenario } from './config.ts';
import type { TargetResult } from './scenario.ts';
import { ratio, round, type Pct } from './stats.ts';

/** The targets issue 7 sets for this 2-core machine. */
interface Check {
  what: string;
  target: string;
  measured: string;
  met: boolean | null;
}

const pct = (p: Pct | null | undefined) => (p ? { p50: p.p50, p95: p.p95, p99: p.p99 } : null);

function checks(sc: Scenario, ours: TargetResult | undefined, yjs: TargetResult | undefined): Check[] {
  if (!ours) return [];
  const out: Check[] = [];
  const ack = ours.ack?.p95 ?? NaN;
  if (sc.key === 'one') {
    const r = yjs ? ours.noteToAll.p95 / yjs.noteToAll.p95 : NaN;
    out.push({ what: 'note → every screen p95 vs Yjs floor', target: '≤ 1.2×', measured: yjs ? `${r.toFixed(2)}×` : 'no floor run', met: yjs ? r <= 1.2 : null });
    out.push({ what: `join storm of ${ours.participants}: all synced`, target: '≤ 1000 ms', measured: `${ours.joinStormMs} ms`, met: ours.joinStormMs <= 1000 });
  } else {
    out.push({ what: 'note → every screen p95', target: '≤ 150 ms', measured: `${ours.noteToAll.p95} ms`, met: ours.noteToAll.p95 <= 150 });
    out.push({ what: 'server peak RSS', target: '≤ 300 MB', measured: `${ours.rssMbPeak} MB`, met: ours.rssMbPeak <= 300 });
  }
  out.push({ what: 'durable ack p95', target: '≤ 10 ms', measured: `${ack} ms`, met: ack <= 10 });
  return out;
}

const detail = (r: TargetResult) => ({
  note_to_all_ms: pct(r.noteToAll),
  incomplete_notes: r.incomplete,
  notes_accepted: r.notesAccepted,
  edits: r.edits,
  join_ms: pct(r.join),
  server_cpu_brainstorm_pct: round(r.brainstorm.serverPct),
  server_cpu_peak_pct: round(r.brainstorm.serverPeakPct),
  server_cpu_s: r.serverCpuSeconds,
  rss_mb_peak: r.rssMbPeak,
  rss_kb_per_participant: r.rssKbPerParticipant,
  loadgen_cores: round(r.brainstorm.loadgenCores, 2),
  other_load_cores: round(r.brainstorm.otherCores, 2),
});

/** One `scenarios[]` entry of bench/results/latest.json. */
export function scenarioJson(sc: Scenario, o: Options, results: TargetResult[]) {
  const by = (t: string) => results.find((r) => r.target === t);
  const ours = by('ours');
  const yjs = by('yjs');
  const bare = by('bare');
  return {
    scenario: sc.name,
    participants: sc.rooms * sc.perRoom,
    rooms: sc.rooms,
    notes: sc.notes,
    brainstorm_s: sc.brainstormMs / 1000,
    note_to_all_ms: pct(ours?.noteToAll),
    floor_ms: pct(bare?.noteToAll),
    yjs_floor_ms: pct(yjs?.noteToAll),
    ratio_p95: ours && yjs ? ratio(ours.noteToAll.p95, yjs.noteToAll.p95) : null,
    ratio_bare_p95: ours && bare ? ratio(ours.noteToAll.p95, bare.noteToAll.p95) : null,
    ack_ms: pct(ours?.ack),
    ack_ms_by_type: ours ? Object.fromEntries(Object.entries(ours.ackByType).map(([k, v]) => [k, pct(v)])) : null,
    join_ms: pct(ours?.join),
    join_storm_ms: ours?.joinStormMs ?? null,
    reveal_ms: ours?.reveal ? (sc.rooms === 1 ? ours.reveal.max : pct(ours.reveal)) : null,
    server_cpu_brainstorm_pct: ours ? round(ours.brainstorm.serverPct) : null,
    server_cpu_peak_pct: ours ? round(ours.brainstorm.serverPeakPct) : null,
    server_cpu_s: ours?.serverCpuSeconds ?? null,
    rss_mb_peak: ours?.rssMbPeak ?? null,
    rss_kb_per_participant: ours?.rssKbPerParticipant ?? null,
    bytes_per_participant: ours?.bytesPerParticipant ?? null,
    doc_bytes: ours?.docBytes ?? null,
    votes: ours?.votes ?? null,
    refused: ours?.refused ?? null,
    incomplete_notes: ours?.incomplete ?? null,
    missing_tally: ours?.missingTally ?? null,
    join_failures: ours?.joinFailures ?? null,
    targets: checks(sc, ours, yjs),
    runs: Object.fromEntries(results.map((r) => [r.target, detail(r)])),
    load_generators: o.workers,
    quick: o.quick,
    node: process.version,
    cpus: cpus().length,
    cpu_model: cpus()[0]?.model ?? null,
    date: new Date().toISOString(),
  };
}

export type ScenarioJson = ReturnType<typeof scenarioJson>;

const f = (x: number | null | undefined, unit = '') => (x === null || x === undefined || Number.isNaN(x) ? '—' : `${x}${unit}`);
const row = (label: string, p: Pct | null | undefined, extra = '') =>
  `  ${label.padEnd(26)}${f(p?.p50).padStart(9)}${f(p?.p95).padStart(9)}${f(p?.p99).padStart(9)}${f(p?.max).padStart(9)}   ${extra}`;

/** The human-readable table for one scenario. */
export function table(sc: Scenario, results: TargetResult[], json: ScenarioJson): string {
  const by = (t: string) => results.find((r) => r.target === t);
  const ours = by('ours');
  const lines = [
    '',
    `${sc.name}: ${sc.rooms * sc.perRoom} participants in ${sc.rooms} workshop${sc.rooms > 1 ? 's' : ''}, ${sc.notes} notes over ${sc.brainstormMs / 1000} s`,
    `  ${'(ms)'.padEnd(26)}${'p50'.padStart(9)}${'p95'.padStart(9)}${'p99'.padStart(9)}${'max'.padStart(9)}`,
  ];
  for (const [t, label] of [['ours', 'note → every screen'], ['yjs', '  Yjs floor'], ['bare', '  bare floor']] as const) {
    const r = by(t);
    if (r) lines.push(row(label, r.noteToAll, `${r.noteToAll.n} notes${r.incomplete ? `, ${r.incomplete} not everywhere` : ''}; server CPU ${round(r.brainstorm.serverPct)}% of a core, other load ${round(r.brainstorm.otherCores, 2)} cores`));
  }
  if (json.ratio_p95 !== null || json.ratio_bare_p95 !== null) lines.push(`  ratio of p95: ${f(json.ratio_p95, '×')} the Yjs floor, ${f(json.ratio_bare_p95, '×')} the bare floor`);
  if (ours) {
    lines.push(row('durable ack (all)', ours.ack));
    for (const [type, p] of Object.entries(ours.ackByType)) lines.push(row(`  ${type}`, p));
    lines.push(row('join (connect → synced)', ours.join, `storm: all synced in ${ours.joinStormMs} ms`));
    if (ours.reveal) lines.push(row('reveal (→ every screen)', ours.reveal));
    lines.push(
      `  server: ${ours.serverCpuSeconds} CPU s in all, ${round(ours.brainstorm.serverPct)}% of a core while brainstorming (peak ${round(ours.brainstorm.serverPeakPct)}%); peak RSS ${ours.rssMbPeak} MB, ${ours.rssKbPerParticipant} KB per participant`,
      `  per participant: ${(ours.bytesPerParticipant / 1024).toFixed(1)} KB received; final Y.Doc ${ours.docBytes} bytes; ${ours.notesAccepted} notes, ${ours.edits} edits, ${ours.votes} dots`,
    );
    const refused = Object.entries(ours.refused);
    if (refused.length || ours.joinFailures || ours.missingTally) {
      lines.push(`  problems: ${refused.map(([k, n]) => `${n} ${k}`).join(', ') || 'none refused'}; ${ours.joinFailures} joins failed; ${ours.missingTally} screens missed the tally`);
    }
  }
  for (const c of json.targets) lines.push(`  ${c.met === null ? '?' : c.met ? 'met ' : 'MISS'}  ${c.what}: ${c.measured} (target ${c.target})`);
  return lines.join('\n');
}
