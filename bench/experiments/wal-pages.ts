import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * SQLite WAL pages and time per note command, with the store's table layout (rowid tables with a
 * composite primary key, i.e. a table b-tree plus an index b-tree each) or WITHOUT ROWID tables,
 * one command per transaction (as now) or ten (group commit). 40 workshops interleaved.
 *   npx tsx bench/experiments/wal-pages.ts
 */
const schema = (suffix: string) => `
CREATE TABLE doc_updates (workshop_id TEXT NOT NULL, seq INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (workshop_id, seq))${suffix};
CREATE TABLE note_authors (workshop_id TEXT NOT NULL, note_id TEXT NOT NULL, participant_id TEXT NOT NULL, PRIMARY KEY (workshop_id, note_id, participant_id))${suffix};
CREATE TABLE commands (workshop_id TEXT NOT NULL, actor TEXT NOT NULL, command_id TEXT NOT NULL, result TEXT NOT NULL, PRIMARY KEY (workshop_id, actor, command_id))${suffix};`;
const id = (n: number) => randomBytes(n).toString('base64url');
const COMMANDS = 2000;

for (const [label, suffix, group] of [
  ['rowid tables, 1 command per commit', '', 1],
  ['WITHOUT ROWID, 1 command per commit', ' WITHOUT ROWID', 1],
  ['rowid tables, 10 commands per commit', '', 10],
  ['WITHOUT ROWID, 10 commands per commit', ' WITHOUT ROWID', 10],
] as const) {
  const dir = mkdtempSync(join(tmpdir(), 'wal-pages-'));
  const db = new Database(join(dir, 'x.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec(schema(suffix));
  const update = db.prepare('INSERT INTO doc_updates VALUES (?, ?, ?)');
  const author = db.prepare('INSERT INTO note_authors VALUES (?, ?, ?)');
  const command = db.prepare('INSERT INTO commands VALUES (?, ?, ?, ?)');
  const workshops = Array.from({ length: 40 }, () => id(9));
  const seq = new Map<string, number>();
  const note = (i: number) => {
    const w = workshops[i % workshops.length];
    seq.set(w, (seq.get(w) ?? 0) + 1);
    update.run(w, seq.get(w), randomBytes(180));
    author.run(w, id(9), id(16));
    command.run(w, id(16), `b1-${i}-${id(3)}`, `{"ok":true,"noteId":"${id(9)}"}`);
  };
  const commit = db.transaction((from: number, n: number) => {
    for (let i = from; i < from + n; i++) note(i);
  });
  const t0 = performance.now();
  for (let i = 0; i < COMMANDS; i += group) commit(i, group);
  const ms = performance.now() - t0;
  const [wal] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number }>;
  console.log(`${label.padEnd(40)} ${(wal.log / COMMANDS).toFixed(2)} WAL pages, ${(ms / COMMANDS).toFixed(3)} ms per command`);
  db.close();
  rmSync(dir, { recursive: true, force: true });
}
