import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SqliteStore } from '../../server/store/sqlite.ts';
import { createWorkshop } from '../../server/workshop/create.ts';
import { CODE_ALPHABET, isWellFormedCode, newCode, normalizeCode } from '../../server/workshop/keys.ts';
import { readBoard } from '../../shared/doc.ts';
import { DEFAULT_PROMPTS } from '../../shared/prompts.ts';
import { makeTemplate, TEMPLATE_IDS } from '../../shared/templates/index.ts';

describe('templates', () => {
  it("the default is the seed's barriers fishbone with its catalogue", () => {
    const t = makeTemplate('barriers');
    expect(t.head).toBe("Partnership doesn't work");
    expect(t.bones.map((b) => b.label)).toEqual(['People', 'Structures', 'Processes', 'Resources', 'Environment and culture']);
    expect(t.bones[0].subBones.map((s) => s.label)).toEqual(['Roles', 'Behaviour', 'Skills']);
    expect(t.bones[3].subBones.map((s) => s.label)).toEqual(['Money', 'Information', 'Time']);
    expect(t.catalogue).toHaveLength(10 + 8 + 5 + 6 + 9);
    expect(t.catalogue.find((c) => c.id === 'roles-1')).toMatchObject({
      boneId: 'people',
      subBoneId: 'roles',
      text: 'Power and hierarchy',
    });
    const ids = t.catalogue.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('offers unintended consequences as a sixth bone, the classic 6M and a blank fishbone', () => {
    expect(makeTemplate('barriers-6').bones).toHaveLength(6);
    expect(makeTemplate('six-m').bones.map((b) => b.label)).toEqual([
      'Manpower',
      'Methods',
      'Machines',
      'Materials',
      'Measurement',
      'Environment',
    ]);
    const blank = makeTemplate('blank', { bones: ['Staffing', 'IT'], head: 'Delayed discharges' });
    expect(blank.bones.map((b) => b.label)).toEqual(['Staffing', 'IT']);
    expect(blank.head).toBe('Delayed discharges');
    expect(TEMPLATE_IDS).toHaveLength(4);
  });
});

describe('a new workshop', () => {
  it('starts in the lobby with the template, default settings and prompts, written by one server client id', async () => {
    const store = new SqliteStore(':memory:');
    const { row } = await createWorkshop(store, { title: 'Away-day', template: 'six-m' }, 1000);
    const loaded = (await store.load(row.id))!;
    const doc = new Y.Doc();
    loaded.updates.forEach((u) => Y.applyUpdate(doc, u));
    const board = readBoard(doc);
    expect(board.meta).toMatchObject({
      title: 'Away-day',
      phase: 'lobby',
      silent: true,
      budget: 5,
      cap: 3,
      facilitatorVotes: false,
      showRanking: true,
      locked: false,
      prompts: DEFAULT_PROMPTS,
    });
    expect(board.meta.bones).toHaveLength(6);
    expect(board.notes).toEqual([]);
    expect([...doc.store.clients.keys()]).toEqual([row.serverClientId]);
    await store.close();
  });
});

describe('join codes', () => {
  it('are 6 characters from an alphabet without look-alikes, typed forgivingly', () => {
    expect(CODE_ALPHABET).not.toMatch(/[01OIL]/);
    for (let i = 0; i < 100; i++) expect(isWellFormedCode(newCode())).toBe(true);
    expect(normalizeCode(' abc-def ')).toBe('ABCDEF');
    expect(isWellFormedCode('ABCDE0')).toBe(false);
  });
});
