import fc from 'fast-check';
import type { Socket } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { TestClient } from '../support/client.ts';
import { createWorkshop } from '../support/server.ts';
import { useTestServer } from '../support/use-server.ts';

const server = useTestServer();

const COMMAND_TYPES = [
  'note.add',
  'note.edit',
  'note.delete',
  'note.move',
  'note.merge',
  'vote.change',
  'phase.set',
  'settings.set',
  'timer.start',
  'act.tag',
  'action.add',
  'screen.set',
  'undo',
  'vote.close',
  'round.start',
];

/** Payloads near the real shapes (right type names, wrong fields) and far from them. */
const payload = fc.oneof(
  fc.anything({ maxDepth: 3, withTypedArray: true, withBigInt: false }),
  fc.record(
    {
      type: fc.oneof(fc.constantFrom(...COMMAND_TYPES), fc.string()),
      id: fc.oneof(fc.string(), fc.stringMatching(/^[A-Za-z0-9]{8,20}$/)),
      noteId: fc.anything({ maxDepth: 1 }),
      boneId: fc.oneof(fc.constant('people'), fc.string()),
      text: fc.oneof(fc.string({ maxLength: 400 }), fc.integer()),
      delta: fc.oneof(fc.integer(), fc.double()),
      phase: fc.string(),
      seq: fc.oneof(fc.integer(), fc.double(), fc.string()),
      top: fc.oneof(fc.integer(), fc.string()),
      closed: fc.anything({ maxDepth: 1 }),
      mode: fc.oneof(fc.constantFrom('live', 'blank', 'frozen'), fc.string()),
      focus: fc.anything({ maxDepth: 2 }),
    },
    { requiredKeys: [] },
  ),
);

/** Binary pieces socket.io would send as attachments of one packet. */
const attachments = (x: unknown, depth = 0): number =>
  x instanceof ArrayBuffer || ArrayBuffer.isView(x)
    ? 1
    : depth > 5 || typeof x !== 'object' || x === null
      ? 0
      : Object.values(x).reduce<number>((n, v) => n + attachments(v, depth + 1), 0);

describe('fuzzing every event', () => {
  it('random and malformed payloads get errors; the server stays up; others notice nothing', async () => {
    // Lobby phase: no participant command can change anything here, so any change is a bug.
    const w = await createWorkshop(server.url, { title: 'Fuzz' });
    const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
    const observer = await TestClient.participant(server.url, w.code);
    const fuzzer = await TestClient.participant(server.url, w.code);
    const before = Y.encodeStateAsUpdate(fac.doc);
    const docEvents = () => observer.received.filter((r) => r.event === 'doc' || r.event === 'self').length;
    const observed = docEvents();
    const raw = () => fuzzer.socket as unknown as Socket;

    // Every event here is sent with an acknowledgement, and every one must be answered: a
    // refusal for anything but a well-formed `time`. An answer that never comes is a failure.
    // A packet of more than one binary attachment (the protocol uses one at most: a join's state
    // vector) is not answered: the server closes that connection at once.
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('cmd', 'join', 'time', 'doc', 'sync', 'unknown:event'), payload, async (event, p) => {
        if (!raw().connected) await fuzzer.reconnect();
        if (attachments(p) > 1) {
          const closed = new Promise<boolean>((resolve) => {
            raw().once('disconnect', () => resolve(true));
            setTimeout(() => resolve(false), 2000);
          });
          raw().emit(event, p);
          return await closed;
        }
        let answer: unknown;
        try {
          answer = await raw().timeout(2000).emitWithAck(event, p);
        } catch {
          return false;
        }
        const refused = typeof answer === 'object' && answer !== null && (answer as { ok: boolean }).ok === false;
        // A fuzzer soon spends its socket's allowance: from then on 'rate_limited' is the answer.
        if (event === 'time') return typeof answer === 'number' || refused;
        return refused;
      }),
      { numRuns: 300, seed: 42 },
    );

    // oversized frames and binary garbage
    raw().emit('cmd', new Uint8Array(200_000));
    await fuzzer.reconnect();
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(Y.encodeStateAsUpdate(fac.doc)).toEqual(before);
    expect(docEvents()).toBe(observed);
    expect((await fac.send({ type: 'phase.set', phase: 'brainstorm' })).ok).toBe(true);
    expect((await observer.send({ type: 'note.add', boneId: 'people', text: 'Still here' })).ok).toBe(true);
  });
});
