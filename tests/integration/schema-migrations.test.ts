import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SQLITE_SCHEMA_VERSION, sqliteSchemaVersion } from '../../server/store/migrations/sqlite.ts';
import type { KeyRow, Store, WorkshopRow } from '../../server/store/store.ts';
import { saveNewWorkshop } from '../../server/workshop/create.ts';
import { DEFAULT_PROMPTS } from '../../shared/prompts.ts';
import { makeTemplate } from '../../shared/templates/index.ts';
import { IDLE_TIMER } from '../../shared/doc.ts';
import { TestClient, until } from '../support/client.ts';
import { removeDir, startServer, type TestServer } from '../support/server.ts';

/** The schema of the first release, before `schema_version` existed (commit 180ea0a). */
const FIRST_RELEASE_SCHEMA = `
CREATE TABLE workshops (
  id TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE, title TEXT NOT NULL, template TEXT NOT NULL,
  phase TEXT NOT NULL, created_at INTEGER NOT NULL, server_client_id INTEGER NOT NULL);
CREATE TABLE facilitator_keys (
  id TEXT PRIMARY KEY, workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
  key_hash TEXT NOT NULL, kind TEXT NOT NULL, created_at INTEGER NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);
CREATE TABLE doc_updates (
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, seq INTEGER NOT NULL, data BLOB NOT NULL,
  PRIMARY KEY (workshop_id, seq));
CREATE TABLE participants (
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, participant_id TEXT NOT NULL,
  PRIMARY KEY (workshop_id, participant_id));
CREATE TABLE note_authors (
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, note_id TEXT NOT NULL, participant_id TEXT NOT NULL,
  PRIMARY KEY (workshop_id, note_id, participant_id));
CREATE TABLE hidden_notes (
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, note_id TEXT NOT NULL, bone_id TEXT NOT NULL,
  sub_bone_id TEXT, text TEXT NOT NULL, pick TEXT, PRIMARY KEY (workshop_id, note_id));
CREATE TABLE ballots (
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, participant_id TEXT NOT NULL, note_id TEXT NOT NULL,
  dots INTEGER NOT NULL CHECK (dots > 0), PRIMARY KEY (workshop_id, participant_id, note_id));
CREATE TABLE commands (
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, actor TEXT NOT NULL, command_id TEXT NOT NULL,
  result TEXT NOT NULL, PRIMARY KEY (workshop_id, actor, command_id));
`;

/** A workshop's first rows as the first release wrote them: made by today's code, kept by hand. */
async function firstReleaseFile(dir: string): Promise<{ code: string; facilitatorKey: string }> {
  let saved: { row: WorkshopRow; key: KeyRow; state: Uint8Array } | null = null;
  const capture = {
    codeExists: async () => false,
    createWorkshop: async (row: WorkshopRow, key: KeyRow, state: Uint8Array) => void (saved = { row, key, state }),
  } as unknown as Store;
  const template = makeTemplate('barriers', {});
  const { facilitatorKey } = await saveNewWorkshop(
    capture,
    {
      meta: {
        title: 'Made before versions',
        head: template.head,
        templateId: template.id,
        phase: 'lobby',
        locked: false,
        notesRevealed: false,
        silent: false,
        budget: 5,
        cap: 3,
        facilitatorVotes: false,
        showRanking: false,
        topN: 5,
        groups: [],
        prompts: { ...DEFAULT_PROMPTS },
        timer: IDLE_TIMER,
        bones: template.bones,
        catalogue: template.catalogue,
      },
    },
    Date.now(),
  );
  const { row, key, state } = saved!;
  const db = new Database(join(dir, 'fishbone.sqlite'));
  db.exec(FIRST_RELEASE_SCHEMA);
  db.prepare('INSERT INTO workshops VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    row.id,
    row.code,
    row.title,
    row.template,
    row.phase,
    row.createdAt,
    row.serverClientId,
  );
  db.prepare('INSERT INTO facilitator_keys VALUES (?, ?, ?, ?, ?, 0)').run(key.id, row.id, key.keyHash, key.kind, key.createdAt);
  db.prepare('INSERT INTO doc_updates VALUES (?, 1, ?)').run(row.id, state);
  db.close();
  return { code: row.code, facilitatorKey };
}

const dirs: string[] = [];
let server: TestServer | null = null;
afterAll(async () => {
  await server?.stop();
  dirs.forEach(removeDir);
});

describe('an SQLite file made before the schema had versions', () => {
  it('opens, is migrated to the latest version, and its workshop runs through to closing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fishbone-legacy-'));
    dirs.push(dir);
    const w = await firstReleaseFile(dir);
    server = await startServer({ dataDir: dir });
    expect(sqliteSchemaVersion(server.store.db)).toBe(SQLITE_SCHEMA_VERSION);
    const columns = (server.store.db.prepare('PRAGMA table_info(workshops)').all() as Array<{ name: string }>).map((c) => c.name);
    expect(columns).toEqual(expect.arrayContaining(['closed_at', 'breakdown']));

    const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
    expect(fac.board().meta.title).toBe('Made before versions');
    await fac.do({ type: 'settings.set', groups: ['NHS'] });
    const people = await Promise.all([0, 1, 2].map(() => TestClient.participant(server!.url, w.code)));
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    const note = await people[0].do({ type: 'note.add', boneId: 'people', text: 'Written after the upgrade' });
    for (const p of people) await p.do({ type: 'profile.set', group: 'NHS' });
    await fac.do({ type: 'note.hide', noteId: note.noteId!, hidden: true });
    await fac.do({ type: 'note.hide', noteId: note.noteId!, hidden: false });
    await fac.do({ type: 'phase.set', phase: 'vote' });
    for (const p of people) await p.do({ type: 'vote.change', noteId: note.noteId!, delta: 1 });
    await fac.do({ type: 'phase.set', phase: 'reveal' });
    await until(() => fac.self?.breakdown !== undefined, 'the breakdown');
    await fac.do({ type: 'phase.set', phase: 'closed' });
    const closedAt = server.store.db.prepare('SELECT closed_at FROM workshops WHERE code = ?').pluck().get(w.code);
    expect(closedAt).toEqual(expect.any(Number));
    [fac, ...people].forEach((c) => c.close());

    // Opened again, the file is not migrated twice.
    await server.stop();
    server = await startServer({ dataDir: dir });
    expect(sqliteSchemaVersion(server.store.db)).toBe(SQLITE_SCHEMA_VERSION);
    const again = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
    expect(again.board().tally!.notes[note.noteId!].dots).toBe(3);
    again.close();
  });
});
