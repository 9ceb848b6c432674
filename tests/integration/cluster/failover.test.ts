import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandInput } from '../../../shared/commands.ts';
import type { Result } from '../../../shared/errors.ts';
import type { CommandReply } from '../../../shared/events.ts';
import { participantId } from '../../../server/workshop/keys.ts';
import { TestClient } from '../../support/client.ts';
import { TestCluster } from '../../support/cluster.ts';
import { eventually, Phone } from '../../support/phone.ts';
import { sleep } from '../../support/wait.ts';
import { cmdId, createWorkshop, newToken } from '../../support/server.ts';

const LEASE_MS = 2000;
const RETRYABLE = new Set(['unavailable', 'rate_limited']);

/** What every phone was told: each command with its answer and when it came. */
interface Sent {
  phone: number;
  id: string;
  cmd: CommandInput;
  answer: Result<CommandReply> | null;
  at: number;
  /** When the phone last joined before this answer. */
  rejoinedAt: number;
}

describe('the owner killed with SIGKILL at random moments, mid-brainstorm and mid-vote', () => {
  const cluster = new TestCluster({ nodes: 3, leaseMs: LEASE_MS });
  beforeAll(() => cluster.start().then(() => undefined), 60_000);
  afterAll(() => cluster.stop());

  it('loses no acknowledged command, applies each exactly once, and every replica equals the store', { timeout: 120_000 }, async () => {
    const w = await createWorkshop(cluster.urls[0], { title: 'Kill the owner', silent: false });
    const fac = new Phone(cluster.urls, { as: 'facilitator', code: w.code, key: w.facilitatorKey }, 0);
    await fac.whenJoined();
    const tokens = Array.from({ length: 6 }, () => newToken());
    const phones = tokens.map((token, i) => new Phone(cluster.urls, { as: 'participant', code: w.code, token }, i));
    await Promise.all(phones.map((p) => p.whenJoined()));
    const sent: Sent[] = [];
    const send = async (phone: number, cmd: CommandInput) => {
      const id = cmdId();
      const answer = await phones[phone].send(cmd, id);
      sent.push({ phone, id, cmd, answer, at: Date.now(), rejoinedAt: phones[phone].joinedAt });
      return answer;
    };
    const failovers: number[] = [];
    /**
     * Every phone sends commands one after another; the owner is killed at a random moment,
     * and the phones go on until the new owner has acknowledged some. The node comes back after.
     */
    const killDuring = async (next: (phone: number, k: number) => CommandInput) => {
      let stop = false;
      const work = Promise.all(
        phones.map(async (_, i) => {
          for (let k = 0; !stop; k++) {
            await send(i, next(i, k));
            await sleep(40);
          }
        }),
      );
      await sleep(150 + Math.random() * 600);
      const owner = (await cluster.ownerOf(w.code))!;
      const killedAt = Date.now();
      await owner.stop('SIGKILL');
      // An answer on a connection joined after the kill came from the new owner.
      await eventually(() => sent.filter((s) => s.rejoinedAt > killedAt && s.answer?.ok).length >= 12, 'acks from the new owner', 30_000);
      stop = true;
      await work;
      failovers.push(Math.min(...sent.filter((s) => s.rejoinedAt > killedAt && s.answer?.ok).map((s) => s.at)) - killedAt);
      await owner.start();
    };

    expect((await fac.send({ type: 'phase.set', phase: 'brainstorm' }))?.ok).toBe(true);
    await killDuring((i, k) => ({ type: 'note.add', boneId: 'people', text: `Note ${i}.${k}` }));
    expect((await fac.send({ type: 'phase.set', phase: 'vote' }))?.ok).toBe(true);
    const noteIds = sent.filter((s) => s.answer?.ok).map((s) => (s.answer as { noteId: string }).noteId);
    for (let round = 0; round < 2; round++)
      await killDuring(() => ({
        type: 'vote.change',
        noteId: noteIds[Math.floor(Math.random() * noteIds.length)],
        delta: Math.random() < 0.6 ? 1 : -1,
      }));
    console.log(`SIGKILL to the first acknowledged command on the new owner: ${failovers.join(', ')} ms (lease ${LEASE_MS} ms)`);

    // Every command got a real answer; a command asked again was answered as the first time.
    expect(sent.every((s) => s.answer !== null)).toBe(true);
    for (const p of phones)
      for (const [id, answers] of p.answers) {
        // 'unavailable' and 'rate_limited' say "not applied, ask again"; the phone does.
        const real = answers.filter((a) => a.ok || !RETRYABLE.has(a.code));
        for (const a of real) expect(a, `answers to ${id}`).toEqual(real[0]);
      }
    const stored = await cluster.stored(w.code);
    // Notes: each acknowledged one exactly once, and no other.
    const acked = sent.filter((s) => s.cmd.type === 'note.add' && s.answer?.ok);
    const storedNotes = Object.values(stored.json.notes as Record<string, { text: string }>)
      .map((n) => n.text)
      .sort();
    expect(storedNotes).toEqual(acked.map((s) => (s.cmd as { text: string }).text).sort());
    // Dots: each participant's stored ballot is the sum of their acknowledged changes.
    for (const [i, token] of tokens.entries()) {
      const expected = new Map<string, number>();
      for (const s of sent.filter((x) => x.phone === i && x.cmd.type === 'vote.change' && x.answer?.ok)) {
        const c = s.cmd as { noteId: string; delta: number };
        expected.set(c.noteId, (expected.get(c.noteId) ?? 0) + c.delta);
      }
      const pid = participantId(stored.id, token);
      const ballot = new Map(
        stored.ops.flatMap((op) => (op.t === 'ballot' && op.participantId === pid ? [[op.noteId, op.dots] as const] : [])),
      );
      expect(ballot).toEqual(new Map([...expected].filter(([, d]) => d > 0)));
      await eventually(
        () => JSON.stringify(phones[i].self?.ballot) === JSON.stringify(Object.fromEntries(ballot)),
        `phone ${i}'s own view`,
      );
    }
    for (const p of [fac, ...phones])
      await eventually(() => JSON.stringify(p.doc.toJSON()) === JSON.stringify(stored.json), 'a replica equal to the store');
    // Four owners wrote the document, all under the workshop's one Yjs client id.
    expect([...Y.decodeStateVector(Y.encodeStateVector(stored.doc)).keys()]).toEqual([stored.row.serverClientId]);
    [fac, ...phones].forEach((p) => p.close());
  });
});

describe('an owner paused (SIGSTOP) past its lease while another node takes over, then resumed', () => {
  // Long heartbeats, so the paused owner's own socket stays open to see what it answers.
  const cluster = new TestCluster({ nodes: 2, leaseMs: LEASE_MS, env: { PING_INTERVAL_MS: '20000', PING_TIMEOUT_MS: '20000' } });
  beforeAll(() => cluster.start().then(() => undefined), 60_000);
  afterAll(() => cluster.stop());

  it('has its late commits refused: it never acknowledges them, and the new owner applies them once', { timeout: 60_000 }, async () => {
    const [a, b] = cluster.nodes;
    const w = await createWorkshop(a.url, { title: 'Paused owner', silent: false });
    const fac = await TestClient.facilitator(a.url, w.code, w.facilitatorKey);
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    expect(await cluster.ownerOf(w.code)).toBe(a);
    const token = newToken();
    const onA = await TestClient.participant(a.url, w.code, token);
    await onA.do({ type: 'note.add', boneId: 'people', text: 'Before the pause' });

    a.proc!.kill('SIGSTOP');
    const lateId = cmdId();
    const late = onA.socket
      .timeout(40_000)
      .emitWithAck('cmd', { type: 'note.add', boneId: 'people', text: 'Sent to the paused owner', id: lateId })
      .catch(() => null);
    // Another phone reaches node b; once a's lease has run out, b takes the workshop.
    const other = new Phone([b.url], { as: 'participant', code: w.code, token: newToken() });
    await other.whenJoined();
    expect((await other.send({ type: 'note.add', boneId: 'people', text: 'On the new owner' }))?.ok).toBe(true);
    expect(await cluster.ownerOf(w.code)).toBe(b);

    a.proc!.kill('SIGCONT');
    const answer = (await late) as Result<CommandReply> | null;
    // a answers "unavailable" (its commit refused) or drops the socket: never ok.
    expect(answer === null || (!answer.ok && answer.code === 'unavailable')).toBe(true);
    expect(Object.values((await cluster.stored(w.code)).json.notes as Record<string, { text: string }>).map((n) => n.text)).not.toContain(
      'Sent to the paused owner',
    );
    // The phone sends it again, same id, and now reaches the new owner through a: applied once.
    const again = new Phone([a.url], { as: 'participant', code: w.code, token });
    const retried = await again.send({ type: 'note.add', boneId: 'people', text: 'Sent to the paused owner' }, lateId);
    expect(retried?.ok).toBe(true);
    expect(await again.send({ type: 'note.add', boneId: 'people', text: 'Sent to the paused owner' }, lateId)).toEqual(retried);
    const texts = Object.values((await cluster.stored(w.code)).json.notes as Record<string, { text: string }>).map((n) => n.text);
    expect(texts.filter((t) => t === 'Sent to the paused owner')).toHaveLength(1);
    expect(await cluster.ownerOf(w.code)).toBe(b);
    [fac, onA, other, again].forEach((c) => c.close());
  });
});
