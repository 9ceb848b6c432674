import { describe, expect, it } from 'vitest';
import { TestClient, until } from '../support/client.ts';
import { serverForFile } from '../support/file-server.ts';
import { cmdId, createWorkshop } from '../support/server.ts';

/** The production entry point in its own process, killed with SIGKILL mid-workshop. */
const server = serverForFile();

describe('a server killed with SIGKILL loses nothing it acknowledged', () => {
  // Its own timeout: after the SIGKILL a server process starts again (about 1 s idle, several on a
  // busy two-core CI machine), which the default 20 s for the whole test left little room for.
  it('every acked note and dot is there after a restart, with 20 clients connected', async () => {
    const w = await createWorkshop(server().url, { title: 'Restart', silent: false });
    const fac = await TestClient.facilitator(server().url, w.code, w.facilitatorKey);
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    const people = await Promise.all(Array.from({ length: 20 }, () => TestClient.participant(server().url, w.code)));
    const acked: string[] = [];
    await Promise.all(
      people.map(async (p, i) => {
        for (let j = 0; j < 3; j++) {
          const r = await p.send({ type: 'note.add', boneId: 'structures', text: `Barrier ${i}-${j}` });
          if (r.ok) acked.push(r.noteId!);
        }
      }),
    );
    expect(acked).toHaveLength(60);
    await fac.do({ type: 'phase.set', phase: 'vote' });
    const dots = new Map<string, number>();
    await Promise.all(
      people.map(async (p, i) => {
        for (let j = 0; j < 3; j++) {
          const noteId = acked[(i * 7 + j) % acked.length];
          const r = await p.send({ type: 'vote.change', noteId, delta: 1 });
          if (r.ok) dots.set(noteId, (dots.get(noteId) ?? 0) + 1);
        }
      }),
    );
    // Fire more commands and kill the server while they are in flight. Those that got no answer
    // are retried with the same id after the restart, as the phone's outbox does.
    const ids = people.map(() => cmdId());
    const inFlight = people.map((p, i) => p.send({ type: 'vote.change', noteId: acked[0], delta: 1 }, ids[i]).catch(() => null));
    await server().restart('SIGKILL');
    const late = await Promise.all(inFlight);

    const fac2 = await TestClient.facilitator(server().url, w.code, w.facilitatorKey);
    expect(
      fac2
        .board()
        .notes.map((n) => n.id)
        .sort(),
    ).toEqual([...acked].sort());
    expect(fac2.board().meta.phase).toBe('vote');
    // each participant's ballot survives (read back through their own private view)
    const back = await Promise.all(people.map((p) => TestClient.participant(server().url, w.code, p.token)));
    for (const [i, r] of late.entries()) {
      const answer = r ?? (await back[i].send({ type: 'vote.change', noteId: acked[0], delta: 1 }, ids[i]));
      if (answer.ok) dots.set(acked[0], (dots.get(acked[0]) ?? 0) + 1);
    }
    await until(() => back.every((p) => p.self !== null), 'self views');
    await Promise.all(back.map((p) => p.sync()));
    const total = back.reduce((s, p) => s + Object.values(p.self!.ballot).reduce((a, b) => a + b, 0), 0);
    expect(total).toBe([...dots.values()].reduce((a, b) => a + b, 0));
    // the reveal is computed from the surviving ballots
    await fac2.do({ type: 'phase.set', phase: 'reveal' });
    await until(() => fac2.board().tally !== null, 'tally');
    for (const [noteId, n] of dots) expect(fac2.board().tally!.notes[noteId].dots).toBe(n);
    [fac, fac2, ...people, ...back].forEach((c) => c.close());
  }, 60_000);
});
