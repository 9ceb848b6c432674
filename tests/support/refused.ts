import { expect } from 'vitest';
import * as Y from 'yjs';
import type { CommandInput } from '../../shared/commands.ts';
import type { Result } from '../../shared/errors.ts';
import type { CommandReply } from '../../shared/events.ts';
import type { TestClient } from './client.ts';

/**
 * Everything the server sent these clients so far has arrived (a round trip on each socket): only
 * after this does "nothing changed" or "nothing arrived" mean something rather than "not yet".
 */
export const settle = (clients: TestClient[]) => Promise.all(clients.map((c) => c.sync()));

/**
 * A refused command gets a clear error and leaves every replica (the sender's included) and the
 * sender's own view exactly as they were. Synced before (so a late change from earlier steps is
 * not taken for this one's) and after (so a change this one caused has had time to arrive).
 */
export async function expectRefused(
  c: TestClient,
  others: TestClient[],
  cmd: CommandInput,
  code: string,
  says?: RegExp,
): Promise<Result<CommandReply>> {
  const everyone = [c, ...others];
  await settle(everyone);
  const before = everyone.map((o) => Y.encodeStateAsUpdate(o.doc));
  const selfBefore = JSON.stringify(c.self);
  const res = await c.send(cmd);
  expect(res).toMatchObject({ ok: false, code });
  if (!res.ok) {
    expect(res.message.length).toBeGreaterThan(10);
    if (says) expect(res.message).toMatch(says);
  }
  await settle(everyone);
  everyone.forEach((o, i) => expect(Y.encodeStateAsUpdate(o.doc)).toEqual(before[i]));
  expect(JSON.stringify(c.self)).toBe(selfBefore);
  return res;
}
