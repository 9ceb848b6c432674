import type { CommandInput } from '../../shared/commands.ts';
import type { Phase } from '../../shared/phases.ts';
import { TestClient } from './client.ts';
import { createWorkshop, type Created } from './server.ts';

export interface Room {
  w: Created;
  fac: TestClient;
  /** The participants, joined in order. */
  people: TestClient[];
  /** The projector, when asked for. */
  screen: TestClient | null;
  /** Everyone in it. */
  everyone: TestClient[];
  close(): void;
}

/**
 * A workshop in phase `phase` (the lobby by default) with `people` participants who joined
 * before it got there, its facilitator and, with `screen`, a projector: the start of most tests.
 * `body` is what creating it takes (title, silent, template...); `settings` are set in the lobby.
 */
export async function room(
  url: string,
  opts: { people?: number; phase?: Exclude<Phase, 'lobby'>; screen?: boolean; body?: object; settings?: object } = {},
): Promise<Room> {
  const w = await createWorkshop(url, { title: 'Away-day', ...opts.body });
  const fac = await TestClient.facilitator(url, w.code, w.facilitatorKey);
  if (opts.settings) await fac.do({ type: 'settings.set', ...opts.settings } as CommandInput);
  const screen = opts.screen ? await TestClient.screen(url, w.code) : null;
  const people = await Promise.all(Array.from({ length: opts.people ?? 0 }, () => TestClient.participant(url, w.code)));
  if (opts.phase) await fac.do({ type: 'phase.set', phase: opts.phase });
  const everyone = [fac, ...(screen ? [screen] : []), ...people];
  return { w, fac, people, screen, everyone, close: () => everyone.forEach((c) => c.close()) };
}
