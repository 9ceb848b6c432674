import { describe, expect, it } from 'vitest';
import { RELEASE_TIMING } from '../../server/workshop/disclosure.ts';
import { attributeAnswers, attributeNotes, attributeProposals, runSession } from '../support/attribution.ts';
import { useTestServer } from '../support/use-server.ts';

/**
 * The attribution attack of issue 22 (tests/support/attribution.ts), on the real clock: the
 * facilitator and a co-facilitator watch a room of 10 write 26 held notes, send proposals and
 * answer "within our control?", and name whoever they can. Before server/workshop/disclosure.ts
 * they named 12 to 16 of the 26 notes' authors, with no wrong guess, and the one person whose
 * answers they showed. The server's timing and the script's pauses are a quarter of a real
 * day's (bench/experiments/attribution.ts measures at full scale).
 */
const SCALE = 0.25;
const timing = {
  quietMs: RELEASE_TIMING.quietMs * SCALE,
  jitterMs: RELEASE_TIMING.jitterMs * SCALE,
  maxWaitMs: RELEASE_TIMING.maxWaitMs * SCALE,
};
const server = useTestServer({ registry: { releaseTiming: timing } });

describe('a facilitator and a co-facilitator watching who taps', () => {
  it('name no author of a held note, a proposal or an answer; their best guess is chance', { timeout: 180_000 }, async () => {
    const s = await runSession(server.url, {
      seed: 22,
      people: 10,
      notes: 26,
      proposals: 9,
      answerers: 8,
      scale: SCALE,
      settleMs: timing.quietMs + timing.jitterMs + 500,
    });
    const notes = attributeNotes(s);
    const proposals = attributeProposals(s);
    const answers = attributeAnswers(s);
    console.log(
      `attribution attack: held notes ${notes.certain}/${notes.total} named (guess ${(notes.guessed * 100).toFixed(0)}%, ` +
        `chance ${(notes.chance * 100).toFixed(0)}%), batches of ${notes.batches.map((b) => b.people).join('/')} people ` +
        `${notes.batches.map((b) => b.at - b.lastTap).join('/')} ms after their last note; proposals ${proposals.certain}/${proposals.total}; ` +
        `answers of one person ${answers.lone}/${answers.total}, unanimous ${answers.alike}/${answers.total}`,
    );
    // The attack is sound: it never names the wrong person.
    expect(notes.wrong + proposals.wrong).toBe(0);

    expect(notes.certain).toBe(0);
    // What the facilitators saw adds nothing to knowing who tapped how often.
    expect(notes.guessed).toBe(notes.chance);
    expect(notes.batches.length).toBeGreaterThan(0);
    for (const b of notes.batches) {
      expect(b.people).toBeGreaterThanOrEqual(3);
      // Released by the clock, not by a tap: a quiet time after its last note (or, in a room
      // that never pauses, the longest wait after its first).
      expect(b.at - b.lastTap >= timing.quietMs || b.at - b.firstTap >= timing.maxWaitMs).toBe(true);
    }
    expect(proposals.certain).toBe(0);
    expect(answers.lone).toBe(0);
    s.owner.close();
    s.co.close();
  });
});
