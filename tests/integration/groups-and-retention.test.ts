import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { OTHER } from '../../shared/breakdown.ts';
import { TestClient, until } from '../support/client.ts';
import { createWorkshop } from '../support/server.ts';
import { useTestServer } from '../support/use-server.ts';

const server = useTestServer();

async function votedWorkshop(groupsOfPeople: Array<string | null>) {
  const w = await createWorkshop(server.url, { title: 'Groups', silent: false });
  const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
  await fac.do({ type: 'settings.set', groups: ['NHS', 'Council', 'Housing', 'Consultant'] });
  await fac.do({ type: 'phase.set', phase: 'brainstorm' });
  const people = await Promise.all(groupsOfPeople.map(() => TestClient.participant(server.url, w.code)));
  for (const [i, p] of people.entries()) if (groupsOfPeople[i]) await p.do({ type: 'profile.set', group: groupsOfPeople[i] });
  const a = (await people[0].do({ type: 'note.add', boneId: 'people', subBoneId: 'roles', text: 'Consultants dominate' })).noteId!;
  const b = (await people[1].do({ type: 'note.add', boneId: 'resources', text: 'No time' })).noteId!;
  await fac.do({ type: 'phase.set', phase: 'vote' });
  for (const p of people) {
    await p.do({ type: 'vote.change', noteId: a, delta: 2 });
    await p.do({ type: 'vote.change', noteId: b, delta: 1 });
  }
  await fac.do({ type: 'phase.set', phase: 'reveal' });
  return { w, fac, people, a, b };
}

describe('group breakdowns', () => {
  it('the facilitator sees dots per group, with groups under 3 people folded into Other', async () => {
    const { fac, people, a, b } = await votedWorkshop([
      'NHS',
      'NHS',
      'NHS',
      'Council',
      'Council',
      'Council',
      'Consultant',
      null,
      'Housing',
    ]);
    await until(() => !!fac.self?.breakdown, 'breakdown');
    expect(fac.self!.breakdown).toEqual({
      groups: ['Council', 'NHS', OTHER],
      notes: { [a]: { NHS: 6, Council: 6, [OTHER]: 6 }, [b]: { NHS: 3, Council: 3, [OTHER]: 3 } },
    });
    // nobody else gets it: not participants, not the document
    for (const p of people) expect(p.received.some((r) => r.event === 'self' && 'breakdown' in (r.args[0] as object))).toBe(false);
    expect(JSON.stringify(people[0].board())).not.toContain('"NHS":6');
  });

  it('a lone consultant is never visible as a group', async () => {
    const { fac, a } = await votedWorkshop(['NHS', 'NHS', 'NHS', 'Council', 'Council', 'Council', 'Council', 'Consultant']);
    await until(() => !!fac.self?.breakdown, 'breakdown');
    expect(fac.self!.breakdown!.groups).toEqual(['Council', OTHER]);
    expect(fac.self!.breakdown!.notes[a]).toEqual({ Council: 8, [OTHER]: 8 });
  });

  it('refuses groups not on the list, and group changes after the reveal', async () => {
    const { people } = await votedWorkshop(['NHS', null]);
    expect(await people[0].send({ type: 'profile.set', group: 'NHS' })).toMatchObject({ ok: false, code: 'wrong_phase' });
    const w = await createWorkshop(server.url, { title: 'G' });
    const p = await TestClient.participant(server.url, w.code);
    expect(await p.send({ type: 'profile.set', group: 'Freemasons' })).toMatchObject({ ok: false, code: 'bad_request' });
  });
});

describe('retention', () => {
  it('closing drops every private link between people and notes or ballots; the aggregates stay', async () => {
    const { w, fac, people, a, b } = await votedWorkshop(['NHS', 'NHS', 'NHS']);
    const count = (db: Database.Database, table: string) =>
      db.prepare(`SELECT COUNT(*) FROM ${table} t JOIN workshops w ON w.id = t.workshop_id WHERE w.code = ?`).pluck().get(w.code) as number;
    let db = new Database(server.dbFile, { readonly: true });
    expect(count(db, 'note_authors')).toBe(2);
    expect(count(db, 'ballots')).toBe(6);
    db.close();
    const tally = fac.board().tally;
    await fac.do({ type: 'phase.set', phase: 'closed' });
    db = new Database(server.dbFile, { readonly: true });
    for (const table of ['note_authors', 'ballots', 'hidden_notes', 'participants']) expect(count(db, table), table).toBe(0);
    // the command log would link a participant to the note ids their commands made: gone too
    // only the closing command's own answer is left (it is written after the purge)
    expect(count(db, 'commands')).toBe(1);
    const log = db.prepare('SELECT c.result FROM commands c JOIN workshops w ON w.id = c.workshop_id WHERE w.code = ?').all(w.code);
    expect(JSON.stringify(log)).not.toContain('noteId');
    db.close();
    await until(() => people[0].board().meta.phase === 'closed', 'closed');
    expect(fac.board().tally).toEqual(tally);
    // the breakdown is an aggregate of a group of 3+: it stays for the report
    expect(fac.self!.breakdown).toEqual({ groups: ['NHS'], notes: { [a]: { NHS: 6 }, [b]: { NHS: 3 } } });
    // a returning participant is nobody in particular any more, and cannot join
    const back = new TestClient(server.url, { as: 'participant', code: w.code, token: people[0].token! });
    await expect(back.join()).rejects.toThrow(/closed/);
    back.close();
  });
});
