import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { CommandInput } from '../../shared/commands.ts';
import type { Result } from '../../shared/errors.ts';
import type { CommandReply } from '../../shared/events.ts';
import { TestClient, until } from '../support/client.ts';
import { cmdId, createWorkshop } from '../support/server.ts';
import { useTestServer } from '../support/use-server.ts';
import { sleep } from '../support/wait.ts';

const server = useTestServer();

/** A seeded PRNG so a failing run can be replayed. */
function rng(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
}

interface Sent {
  cmd: CommandInput;
  id: string;
  answer: Result<CommandReply> | null;
}

/**
 * A phone on bad Wi-Fi: sends commands, sometimes loses the connection mid-flight, comes back,
 * and retries every unanswered command with its original id — as the client's outbox does.
 */
class FlakyPhone {
  sent: Sent[] = [];
  drops = 0;
  constructor(
    readonly c: TestClient,
    readonly rand: () => number,
  ) {}

  async send(cmd: CommandInput): Promise<Result<CommandReply> | null> {
    const s: Sent = { cmd, id: cmdId(), answer: null };
    this.sent.push(s);
    const flight = this.c.send(cmd, s.id).then(
      (r) => (s.answer = r),
      () => null,
    );
    if (this.rand() < 0.15) {
      // the connection drops while the command is in flight
      this.c.socket.disconnect();
      this.drops++;
      await sleep(this.rand() * 30);
      await this.c.reconnect();
      await this.retry();
    } else {
      await flight;
    }
    return s.answer;
  }

  async retry(): Promise<void> {
    for (const s of this.sent) {
      while (!s.answer) {
        try {
          s.answer = await this.c.send(s.cmd, s.id);
        } catch {
          await this.c.reconnect();
        }
      }
    }
  }
}

describe('chaos: random disconnects while sending', () => {
  it('the final state equals exactly the acknowledged commands, on every replica', async () => {
    const rand = rng(20261125);
    const w = await createWorkshop(server.url, { title: 'Chaos', silent: false });
    const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
    await fac.do({ type: 'settings.set', budget: 20, cap: 5 });
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    const phones = await Promise.all(
      Array.from({ length: 8 }, () => TestClient.participant(server.url, w.code).then((c) => new FlakyPhone(c, rand))),
    );
    const bones = ['people', 'structures', 'processes', 'resources', 'environment'];

    await Promise.all(
      phones.map(async (p, i) => {
        const mine: string[] = [];
        for (let k = 0; k < 12; k++) {
          const roll = rand();
          if (roll < 0.6 || mine.length === 0) {
            const r = await p.send({ type: 'note.add', boneId: bones[k % 5], text: `Phone ${i} note ${k}` });
            if (r?.ok) mine.push(r.noteId!);
          } else if (roll < 0.85) {
            await p.send({ type: 'note.edit', noteId: mine[Math.floor(rand() * mine.length)], text: `Phone ${i} edit ${k}` });
          } else {
            const [gone] = mine.splice(Math.floor(rand() * mine.length), 1);
            await p.send({ type: 'note.delete', noteId: gone });
          }
        }
        await p.retry();
      }),
    );

    // What the acknowledgements say the board must be.
    const expected = new Map<string, string>();
    for (const p of phones) {
      for (const s of p.sent) {
        if (!s.answer?.ok) continue;
        if (s.cmd.type === 'note.add') expected.set(s.answer.noteId!, s.cmd.text!);
        if (s.cmd.type === 'note.edit') expected.set(s.cmd.noteId, s.cmd.text);
        if (s.cmd.type === 'note.delete') expected.delete(s.cmd.noteId);
      }
    }
    await fac.do({ type: 'phase.set', phase: 'vote' });
    const noteIds = [...expected.keys()];
    await Promise.all(
      phones.map(async (p) => {
        for (let k = 0; k < 10; k++)
          await p.send({ type: 'vote.change', noteId: noteIds[Math.floor(rand() * noteIds.length)], delta: rand() < 0.8 ? 1 : -1 });
        await p.retry();
      }),
    );

    const everyone = [fac, ...phones.map((p) => p.c)];
    const target = Y.encodeStateVector(fac.doc);
    for (const c of everyone) await until(() => Buffer.from(Y.encodeStateVector(c.doc)).equals(Buffer.from(target)), 'replicas converge');
    for (const c of everyone) {
      const board = c.board();
      expect(new Map(board.notes.map((n) => [n.id, n.text]))).toEqual(expected);
    }
    // Each phone's ballot is exactly the sum of its acknowledged vote changes.
    for (const p of phones) {
      const ballot = new Map<string, number>();
      for (const s of p.sent) {
        if (s.cmd.type === 'vote.change' && s.answer?.ok) ballot.set(s.cmd.noteId, (ballot.get(s.cmd.noteId) ?? 0) + s.cmd.delta);
      }
      const fresh = await TestClient.participant(server.url, w.code, p.c.token);
      expect(fresh.self!.ballot).toEqual(Object.fromEntries([...ballot].filter(([, d]) => d > 0)));
      fresh.close();
    }
    expect(phones.reduce((n, p) => n + p.sent.length, 0)).toBe(8 * 22);
    expect(phones.reduce((n, p) => n + p.drops, 0)).toBeGreaterThan(10);
    everyone.forEach((c) => c.close());
  });
});
