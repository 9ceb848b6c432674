import type { HeldNote, JoinReply, SelfView, Stats } from '../../shared/events.ts';
import { TestClient, until } from './client.ts';

/**
 * The adversary of issue 22 (docs/THREAT-MODEL.md): the facilitator and a co-facilitator, every
 * frame their pages receive captured and decoded, watching who in the room taps when.
 */

export { allText, frameText } from './wire.ts';

/** Each held note the moderation view ever showed this facilitator, with when it first arrived. */
export function reviewsSeen(c: TestClient): Map<string, { note: HeldNote; at: number }> {
  const seen = new Map<string, { note: HeldNote; at: number }>();
  for (const r of c.received) {
    const view = r.event === 'self' ? (r.args[0] as SelfView) : r.event === 'join:ack' ? ((r.args[0] as JoinReply).self ?? null) : null;
    for (const note of view?.review ?? []) if (!seen.has(note.id)) seen.set(note.id, { note, at: r.at });
  }
  return seen;
}

/** Every count frame this client received, in order. */
export const statsFrames = (c: TestClient) =>
  c.received.filter((r) => r.event === 'stats').map((r) => ({ stats: r.args[0] as Stats, at: r.at }));

export const heldTotal = (s: Stats | null) => Object.values(s?.hiddenByBone ?? {}).reduce((a, b) => a + b, 0);

/**
 * Make the server send everyone its counts as they are now (a projector joins), and wait for
 * each watcher to have them: what a tap could have moved, it has moved by then.
 */
export async function probe(url: string, code: string, watchers: TestClient[]): Promise<Stats[]> {
  await Promise.all(watchers.map((c) => c.sync()));
  const marks = watchers.map((c) => c.received.length);
  const screen = await TestClient.screen(url, code);
  await Promise.all(watchers.map((c, i) => until(() => c.received.slice(marks[i]).some((r) => r.event === 'stats'), 'counts')));
  screen.close();
  return watchers.map((c) => c.stats!);
}
