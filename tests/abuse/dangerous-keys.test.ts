import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_SCHEMA, EXPORT_VERSION } from '../../shared/export-schema.ts';
import { TestClient, until } from '../support/client.ts';
import { createWorkshop } from '../support/server.ts';
import { useTestServer } from '../support/use-server.ts';

/**
 * Names that mean something to every plain JavaScript object. An id or a group name from outside
 * that became a plain object's key could rewrite Object.prototype for the whole server
 * (`obj["__proto__"] ??= {}` returns Object.prototype).
 */
const DANGEROUS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty'];

const server = useTestServer();

let protoBefore: string[];
beforeAll(() => {
  protoBefore = Object.getOwnPropertyNames(Object.prototype).sort();
});

/** The shared prototype is as it was, and a plain object is still empty. */
function expectPrototypeUntouched() {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoBefore);
  const plain: Record<string, unknown> = {};
  for (const k of ['dots', 'supporters', 'NHS', 'keys']) expect(plain[k]).toBeUndefined();
  expect(typeof Object.keys).toBe('function');
}

/** A whole, valid export: two bones, two notes, in the vote phase, with groups. */
function exportBody(
  over: { noteId?: string; boneId?: string; subBoneId?: string; pick?: string; actionId?: string; groups?: string[]; phase?: string } = {},
) {
  const boneId = over.boneId ?? 'people';
  const subBoneId = over.subBoneId ?? 'roles';
  const noteId = over.noteId ?? 'note-1';
  const pick = over.pick ?? 'roles-1';
  return {
    schema: EXPORT_SCHEMA,
    version: EXPORT_VERSION,
    exportedAt: '2026-11-28T10:00:00.000Z',
    workshop: {
      title: 'Imported away-day',
      head: "Partnership doesn't work",
      template: 'barriers',
      createdAt: '2026-11-28T09:00:00.000Z',
      phase: over.phase ?? 'vote',
      settings: { silent: false, budget: 5, cap: 3, facilitatorVotes: false, showRanking: true, topN: 5, groups: over.groups ?? [] },
      prompts: {},
      bones: [
        { id: boneId, label: 'People', subBones: [{ id: subBoneId, label: 'Roles' }] },
        { id: 'time', label: 'Time', subBones: [] },
      ],
      catalogue: [{ id: pick, boneId, subBoneId, text: 'Power and hierarchy' }],
    },
    participants: 0,
    voters: 0,
    notes: [
      { id: noteId, boneId, subBoneId, text: 'Consultants dominate', pick, raisedBy: 1, merged: false },
      { id: 'note-2', boneId: 'time', subBoneId: null, text: 'No time', pick: null, raisedBy: 1, merged: false },
    ],
    results: null,
    ranking: [],
    boneWeights: [],
    breakdown: null,
    tags: {},
    actions: over.actionId ? [{ id: over.actionId, noteId: null, what: 'Rotate the chair', who: '', when: '', order: 1 }] : [],
  };
}

const post = (body: unknown) =>
  fetch(`${server.url}/api/workshops/import`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

const workshopCount = () => server.store.db.prepare('SELECT COUNT(*) FROM workshops').pluck().get() as number;

/** Another workshop, made after the attack, still runs from creation to the reveal. */
async function anotherWorkshopStillWorks() {
  const w = await createWorkshop(server.url, { title: 'Someone else’s away-day', silent: false });
  const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
  const p = await TestClient.participant(server.url, w.code);
  await fac.do({ type: 'phase.set', phase: 'brainstorm' });
  const { noteId } = await p.do({ type: 'note.add', boneId: 'people', text: 'Still here' });
  await fac.do({ type: 'phase.set', phase: 'vote' });
  await p.do({ type: 'vote.change', noteId: noteId!, delta: 2 });
  await fac.do({ type: 'phase.set', phase: 'reveal' });
  await until(() => fac.board().tally !== null, 'the tally');
  expect(fac.board().tally!.notes[noteId!]).toEqual({ dots: 2, supporters: 1 });
  fac.close();
  p.close();
}

describe('dangerous keys from outside never reach a plain object', () => {
  afterAll(() => expectPrototypeUntouched());

  for (const key of DANGEROUS) {
    it(`"${key}" as a note, bone, sub-bone, quick-pick or action id is refused on import, with the field named`, async () => {
      const before = workshopCount();
      const cases: Array<[object, string]> = [
        [exportBody({ noteId: key }), 'notes.0.id'],
        [exportBody({ boneId: key }), 'workshop.bones.0.id'],
        [exportBody({ subBoneId: key }), 'workshop.bones.0.subBones.0.id'],
        [exportBody({ pick: key }), 'workshop.catalogue.0.id'],
        [exportBody({ actionId: key }), 'actions.0.id'],
      ];
      for (const [body, field] of cases) {
        const res = await post(body);
        expect(res.status).toBe(400);
        const answer = (await res.json()) as { code: string; message: string };
        expect(answer.code).toBe('bad_request');
        expect(answer.message).toContain(field);
      }
      // Keys of the records in an export: tags, tally, prompts.
      const tagged = { ...exportBody(), tags: JSON.parse(`{"${key}": "control"}`) };
      expect((await post(JSON.stringify(tagged))).status).toBe(400);
      const tallied = {
        ...exportBody({ phase: 'reveal' }),
        results: { voters: 1, dots: 1, notes: JSON.parse(`{"${key}": {"dots": 1, "supporters": 1}}`), bones: {} },
      };
      expect((await post(JSON.stringify(tallied))).status).toBe(400);
      const prompted = exportBody();
      const raw = JSON.stringify(prompted).replace('"prompts":{}', `"prompts":{"${key}":"Say something"}`);
      expect((await post(raw)).status).toBe(400);
      expect(workshopCount()).toBe(before);
      expectPrototypeUntouched();
    });

    it(`"${key}" as an id in a command is refused as a bad request`, async () => {
      const w = await createWorkshop(server.url, { title: 'Commands', silent: false });
      const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
      const p = await TestClient.participant(server.url, w.code);
      await fac.do({ type: 'phase.set', phase: 'brainstorm' });
      const attempts = [
        p.send({ type: 'note.add', boneId: key, text: 'x' }),
        p.send({ type: 'note.add', boneId: 'people', subBoneId: key, text: 'x' }),
        p.send({ type: 'note.add', boneId: 'people', pick: key }),
        p.send({ type: 'note.edit', noteId: key, text: 'x' }),
        p.send({ type: 'note.delete', noteId: key }),
        fac.send({ type: 'note.hide', noteId: key, hidden: false }),
        fac.send({ type: 'cofacilitator.revoke', linkId: key }),
      ];
      for (const res of await Promise.all(attempts)) expect(res).toMatchObject({ ok: false, code: 'bad_request' });
      await fac.do({ type: 'phase.set', phase: 'vote' });
      expect(await p.send({ type: 'vote.change', noteId: key, delta: 1 })).toMatchObject({ ok: false, code: 'bad_request' });
      fac.close();
      p.close();
      expectPrototypeUntouched();
    });

    it(`"${key}" as a group name gives a correct breakdown, and every export still works`, async () => {
      const res = await post(exportBody({ groups: [key, 'NHS'] }));
      expect(res.status).toBe(201);
      const { code, facilitatorKey } = (await res.json()) as { code: string; facilitatorKey: string };
      const fac = await TestClient.facilitator(server.url, code, facilitatorKey);
      const people = await Promise.all([0, 1, 2, 3].map(() => TestClient.participant(server.url, code)));
      const noteId = fac.board().notes.find((n) => n.text === 'Consultants dominate')!.id;
      for (const p of people.slice(0, 3)) await p.do({ type: 'profile.set', group: key });
      for (const p of people) await p.do({ type: 'vote.change', noteId, delta: 1 });
      await fac.do({ type: 'phase.set', phase: 'reveal' });
      await until(() => !!fac.self?.breakdown, 'the breakdown');
      // Three chose the dangerous group; the fourth has none, so "Other" (1) folds everyone in.
      expect(fac.self!.breakdown!.groups).toEqual(['Other']);
      expect(fac.self!.breakdown!.notes[noteId]).toEqual({ Other: 4 });
      expect(fac.board().tally!.notes[noteId]).toEqual({ dots: 4, supporters: 4 });
      for (const kind of ['workshop.json', 'report.md', 'ranking.csv', 'fishbone.svg']) {
        const r = await fetch(`${server.url}/api/workshops/${code}/export/${kind}`, {
          headers: { authorization: `Bearer ${facilitatorKey}` },
        });
        expect(r.status, kind).toBe(200);
      }
      for (const c of [fac, ...people]) c.close();
      expectPrototypeUntouched();
    });

    it(`"${key}" as the group of three voters out of six is shown as that group`, async () => {
      const w = await createWorkshop(server.url, { title: 'Groups', silent: false });
      const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
      await fac.do({ type: 'settings.set', groups: [key, 'NHS'] });
      await fac.do({ type: 'phase.set', phase: 'brainstorm' });
      const people = await Promise.all([0, 1, 2, 3, 4, 5].map(() => TestClient.participant(server.url, w.code)));
      const { noteId } = await people[0].do({ type: 'note.add', boneId: 'people', text: 'Hierarchy' });
      for (const [i, p] of people.entries()) await p.do({ type: 'profile.set', group: i < 3 ? key : 'NHS' });
      await fac.do({ type: 'phase.set', phase: 'vote' });
      for (const [i, p] of people.entries()) await p.do({ type: 'vote.change', noteId: noteId!, delta: i < 3 ? 2 : 1 });
      await fac.do({ type: 'phase.set', phase: 'reveal' });
      await until(() => !!fac.self?.breakdown, 'the breakdown');
      expect([...fac.self!.breakdown!.groups].sort()).toEqual(['NHS', key].sort());
      const row = fac.self!.breakdown!.notes[noteId!];
      expect(Object.hasOwn(row, key) && row[key]).toBe(6);
      expect(row.NHS).toBe(3);
      const md = await (
        await fetch(`${server.url}/api/workshops/${w.code}/export/report.md`, { headers: { authorization: `Bearer ${w.facilitatorKey}` } })
      ).text();
      // A row per group (issue 24): the key's group gave all its 6 dots to #1, NHS its 3.
      expect(md).toContain('- **#1** Hierarchy');
      expect(md).toMatch(/\n\| [^|\n]+ \| 6 \(100%\) \| 6 \|\n/);
      expect(md).toContain('| NHS | 3 (100%) | 3 |');
      for (const c of [fac, ...people]) c.close();
      expectPrototypeUntouched();
    });
  }

  it('the attack from the report: an imported note "__proto__", one dot, the reveal; the server carries on', async () => {
    // Before the fix this import was accepted and the reveal wrote into Object.prototype.
    const res = await post(exportBody({ noteId: '__proto__' }));
    expect(res.status).toBe(400);
    await anotherWorkshopStillWorks();
    expectPrototypeUntouched();
  });
});
