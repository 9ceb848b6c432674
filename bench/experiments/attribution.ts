import { RELEASE_TIMING } from '../../server/workshop/disclosure.ts';
import { attributeAnswers, attributeNotes, attributeProposals, runSession } from '../../tests/support/attribution.ts';
import { removeDir, startServer } from '../../tests/support/server.ts';

/**
 * The attribution attack of issue 22 (tests/support/attribution.ts), measured: the facilitator
 * and a co-facilitator watch a room of 10 write 26 held notes, send 9 proposals and answer
 * "within our control?" at a human pace, on the real clock, with the server's release timing
 * (scaled by SCALE, pauses in the script too). Prints, per run, what they could attribute and
 * how long each moderation batch took after its last note.
 *   npx tsx bench/experiments/attribution.ts [runs] [scale]
 */
const RUNS = Number(process.argv[2] ?? 3);
const SCALE = Number(process.argv[3] ?? 1);
const timing = {
  quietMs: RELEASE_TIMING.quietMs * SCALE,
  jitterMs: RELEASE_TIMING.jitterMs * SCALE,
  maxWaitMs: RELEASE_TIMING.maxWaitMs * SCALE,
};

const server = await startServer({ registry: { releaseTiming: timing } });
const delays: number[] = [];
try {
  for (let run = 0; run < RUNS; run++) {
    const s = await runSession(server.url, {
      seed: 22 + run,
      people: 10,
      notes: 26,
      proposals: 9,
      answerers: 8,
      scale: SCALE,
      settleMs: timing.quietMs + timing.jitterMs + 1000,
    });
    const notes = attributeNotes(s);
    const proposals = attributeProposals(s);
    const answers = attributeAnswers(s);
    const lastDelays = notes.batches.map((b) => b.at - b.lastTap);
    delays.push(...lastDelays);
    console.log(
      [
        `run ${run + 1} (seed ${22 + run}):`,
        `held notes attributed ${notes.certain}/${notes.total} (wrong ${notes.wrong}),`,
        `best guess right ${(notes.guessed * 100).toFixed(0)}% vs chance ${(notes.chance * 100).toFixed(0)}%;`,
        `batches ${notes.batches.length} of ${notes.batches.map((b) => b.people).join('/')} people, ${notes.remainder} notes left for the reveal;`,
        `last note to batch ${lastDelays.map((d) => (d / 1000).toFixed(1)).join('/')} s;`,
        `proposals attributed ${proposals.certain}/${proposals.total} (wrong ${proposals.wrong});`,
        `answers attributed: one person's ${answers.lone}/${answers.total}, unanimous ${answers.alike}/${answers.total};`,
        `shows refused ${s.shows.filter((x) => !x.ok).length} of ${s.shows.length} tried`,
      ].join(' '),
    );
    s.owner.close();
    s.co.close();
  }
  delays.sort((a, b) => a - b);
  const at = (q: number) => (delays[Math.min(delays.length - 1, Math.floor(q * delays.length))] / 1000).toFixed(1);
  console.log(
    `last note to its batch in the moderation view: min ${at(0)} s, median ${at(0.5)} s, max ${at(1)} s over ${delays.length} batches`,
  );
} finally {
  await server.stop();
  removeDir(server.dataDir);
}
