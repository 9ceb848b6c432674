import { readFileSync } from 'node:fs';
import { bigBoard } from './export-board.ts';
import { launch } from './page-load.ts';
import { startOurs, type ServerHandle } from './servers.ts';
import type { Options } from './config.ts';
import { flood, p95, probe, quietParticipant } from '../tests/abuse/harness.ts';
import type { ServerProcess } from '../tests/support/process.ts';

/**
 * Exports of a board at the caps (2,000 notes, bench/export-board.ts) from the production build
 * (issue 21): each file's time and the server's memory while it is made, the printable report
 * printed to PDF by Chromium, and a quiet participant's ack p95 while a stranger downloads
 * heavy exports of boards at the caps in loops (tests/abuse/flooder.ts, `heavy`), against its
 * own quiet figure in the same run.
 */
export interface ExportsJson {
  scenario: 'exports';
  notes: number;
  files: Array<{ file: string; ms: number; bytes: number; server_peak_rss_mb: number }>;
  report_pdf: { ms: number; pages: number; browser_js_heap_mb: number } | null;
  quiet_ack_p95_ms: number;
  attacked_ack_p95_ms: number;
  date: string;
}

const rssMb = (pid: number) => Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;

export async function runExports(o: Options, log: (s: string) => void): Promise<{ json: ExportsJson; table: string }> {
  const notes = o.quick ? 300 : 2000;
  const server: ServerHandle = await startOurs({ dataRoot: o.dataRoot ?? undefined });
  // The abuse harness takes a server process; only its URL is used.
  const asProcess = { url: server.url } as ServerProcess;
  try {
    const res = await fetch(`${server.url}/api/workshops/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.18.1.1' },
      body: JSON.stringify(bigBoard(notes)),
    });
    const { code, facilitatorKey } = (await res.json()) as { code: string; facilitatorKey: string };
    const files: ExportsJson['files'] = [];
    for (const file of ['fishbone.svg', 'fishbone.png', 'slides.pptx', 'report.docx', 'ranking.csv', 'workshop.json']) {
      let peak = rssMb(server.pid);
      const sampler = setInterval(() => (peak = Math.max(peak, rssMb(server.pid))), 25);
      const t0 = performance.now();
      const r = await fetch(`${server.url}/api/workshops/${code}/export/${file}`, {
        headers: { authorization: `Bearer ${facilitatorKey}` },
      });
      const bytes = (await r.arrayBuffer()).byteLength;
      const ms = performance.now() - t0;
      clearInterval(sampler);
      if (r.status !== 200) throw new Error(`${file}: HTTP ${r.status}`);
      files.push({ file, ms, bytes, server_peak_rss_mb: Math.max(peak, rssMb(server.pid)) });
      log(`  ${file}: ${ms.toFixed(0)} ms, ${(bytes / 1e6).toFixed(2)} MB`);
    }

    // The printable report, as a facilitator prints it to PDF.
    let reportPdf: ExportsJson['report_pdf'] = null;
    const browser = await launch();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Performance.enable');
      const t0 = performance.now();
      await page.goto(`${server.url}/w/${code}/report#key=${facilitatorKey}`);
      await page.locator('figure img').first().waitFor({ timeout: 60_000 });
      const pdf = await page.pdf({ format: 'A4' });
      const ms = performance.now() - t0;
      const metrics = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
      const heap = metrics.metrics.find((m) => m.name === 'JSHeapTotalSize')?.value ?? NaN;
      const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
      reportPdf = { ms, pages, browser_js_heap_mb: heap / 2 ** 20 };
      log(`  report (PDF): ${ms.toFixed(0)} ms, ${pages} pages`);
    } finally {
      await browser.close();
    }

    // A stranger's heavy exports against a quiet participant elsewhere.
    const quiet = await quietParticipant(asProcess);
    const quietP95 = p95(await probe(quiet, 3000));
    const attack = flood(asProcess, 'heavy', 10);
    await new Promise((r) => setTimeout(r, 4000));
    const attackedP95 = p95(await probe(quiet, 5000));
    await attack;
    quiet.close();

    const json: ExportsJson = {
      scenario: 'exports',
      notes,
      files,
      report_pdf: reportPdf,
      quiet_ack_p95_ms: quietP95,
      attacked_ack_p95_ms: attackedP95,
      date: new Date().toISOString(),
    };
    const table = [
      `\nexports of a board of ${notes} notes (production build)`,
      `| file | time | size | server RSS while made |`,
      `| --- | --- | --- | --- |`,
      ...files.map(
        (f) => `| ${f.file} | ${(f.ms / 1000).toFixed(2)} s | ${(f.bytes / 1e6).toFixed(2)} MB | ${f.server_peak_rss_mb.toFixed(0)} MB |`,
      ),
      reportPdf
        ? `| report (PDF, Chromium) | ${(reportPdf.ms / 1000).toFixed(2)} s | ${reportPdf.pages} pages | browser JS heap ${reportPdf.browser_js_heap_mb.toFixed(0)} MB |`
        : '| report (PDF) | not measured | | |',
      `quiet participant elsewhere: ack p95 ${quietP95.toFixed(1)} ms quiet, ${attackedP95.toFixed(1)} ms while a stranger downloads heavy exports of boards at the caps (${(attackedP95 / quietP95).toFixed(1)}×)`,
    ].join('\n');
    return { json, table };
  } finally {
    await server.stop();
  }
}
