import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bigBoard } from '../../bench/export-board.ts';
import { TestClient } from '../support/client.ts';
import { freePort, ServerProcess } from '../support/process.ts';
import { createWorkshop } from '../support/server.ts';
import { flood, memoryOf, near, p95, probe, quietParticipant } from './harness.ts';
import { sleep } from '../support/wait.ts';

/**
 * A stranger's heavy exports (issue 21, findings 1, 2 and 5): boards at the caps, imported by the
 * stranger, downloaded in loops as SVG, PNG, slides and Word, each on a changed board so nothing
 * comes from the cache, half given up before the answer. Exports are made on worker threads,
 * bounded in time and memory, queued fairly per address and per workshop, dropped when their
 * client goes. Measured against this server's own quiet figures, in this run.
 */
let server: ServerProcess;
beforeAll(async () => {
  server = new ServerProcess(await freePort());
  await server.start();
});
afterAll(async () => {
  await server.stop();
  server.cleanup();
});

const KINDS = ['fishbone.svg', 'fishbone.png', 'slides.pptx', 'report.docx'] as const;

/** A facilitator's workshop from an address of its own, and a way to change its board (so its exports are made anew). */
async function facilitatorWith(board: object | null, from: string) {
  const w = board
    ? ((await (
        await fetch(`${server.url}/api/workshops/import`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
          body: JSON.stringify(board),
        })
      ).json()) as { code: string; facilitatorKey: string })
    : await createWorkshop(server.url, { title: 'Victim', silent: false }, from);
  const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
  let renamed = 0;
  /** The time to download `kind` of a board changed just before (so never from the cache), and its peak RSS. */
  const download = async (kind: string) => {
    await fac.do({ type: 'settings.set', title: `Board ${++renamed}` });
    let peak = memoryOf(server).rssMb;
    const sampler = setInterval(() => (peak = Math.max(peak, memoryOf(server).rssMb)), 25);
    const t0 = performance.now();
    const res = await fetch(`${server.url}/api/workshops/${w.code}/export/${kind}`, {
      headers: { authorization: `Bearer ${w.facilitatorKey}`, 'x-forwarded-for': from },
    });
    const bytes = (await res.arrayBuffer()).byteLength;
    const ms = performance.now() - t0;
    clearInterval(sampler);
    expect(res.status, `${kind}: ${res.status}`).toBe(200);
    return { ms, bytes, peakMb: Math.max(peak, memoryOf(server).rssMb) };
  };
  return { w, fac, download };
}

describe('a stranger’s heavy exports', () => {
  // About 35 s on a quiet two-core machine (eight exports at the caps, a 10 s attack); room for a busy one.
  it(
    'of boards at the caps leave a quiet participant working and keep another workshop’s Word report one job away',
    { timeout: 150_000 },
    async () => {
      const quiet = await quietParticipant(server);
      const quietP95 = p95(await probe(quiet, 3000));

      // Each export of a board at the caps, alone: its time and the server's memory while it is made.
      const capped = await facilitatorWith(bigBoard(2000), '198.51.100.20');
      let longest = 0;
      for (const kind of KINDS) {
        const r = await capped.download(kind);
        longest = Math.max(longest, r.ms);
        console.log(
          `${kind} of 2,000 notes: ${r.ms.toFixed(0)} ms, ${(r.bytes / 1e6).toFixed(2)} MB, server RSS peak ${r.peakMb.toFixed(0)} MB`,
        );
      }
      const victim = await facilitatorWith(null, '198.51.100.30');
      await victim.fac.do({ type: 'phase.set', phase: 'brainstorm' });
      const p = await TestClient.participant(server.url, victim.w.code);
      await p.do({ type: 'note.add', boneId: 'people', text: 'Nobody owns referrals' });
      const victimQuiet = Math.min((await victim.download('report.docx')).ms, (await victim.download('report.docx')).ms);

      const attack = flood(server, 'heavy', 10);
      await sleep(2500); // the imports, then the loops running
      const [times, victimUnder] = await Promise.all([probe(quiet, 5000), victim.download('report.docx')]);
      const result = await attack;
      const underP95 = p95(times);
      const { peakMb } = memoryOf(server);
      console.log(
        `heavy exports: quiet ack p95 ${underP95.toFixed(1)} ms against ${quietP95.toFixed(1)} quiet (${(underP95 / quietP95).toFixed(1)}×); ` +
          `the other workshop's Word report ${victimUnder.ms.toFixed(0)} ms against ${victimQuiet.toFixed(0)} quiet (longest export at the caps ${longest.toFixed(0)} ms); ` +
          `server peak RSS ${peakMb.toFixed(0)} MB; ${JSON.stringify(result.counts)}`,
      );
      // The stranger really was at it: imports at the caps, files made, requests refused and given up.
      expect(result.counts['import 201']).toBe(3);
      expect(result.counts['200']).toBeGreaterThan(0);
      expect((result.counts['429'] ?? 0) + (result.counts['given up'] ?? 0)).toBeGreaterThan(0);
      // Nothing of it on the event loop.
      near(underP95, quietP95);
      // The other workshop's file waits for at most the job being made when it asked (one worker),
      // twice over for a machine shared with the attacker's process.
      expect(victimUnder.ms).toBeLessThanOrEqual(2 * (victimQuiet + longest));
      // Bounded memory, whatever was asked.
      expect(peakMb).toBeLessThan(1024);

      // Once the stranger has gone, nothing of theirs runs on: the next file is made at once.
      const after = await victim.download('report.docx');
      console.log(`after the stranger left: the Word report in ${after.ms.toFixed(0)} ms`);
      expect(after.ms).toBeLessThanOrEqual(2 * victimQuiet + longest / 2);
      for (const c of [quiet, capped.fac, victim.fac, p]) c.close();
    },
  );
});
