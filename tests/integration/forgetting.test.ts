import Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { participantId } from '../../server/workshop/keys.ts';
import { TestClient, until } from '../support/client.ts';
import { serverForFile } from '../support/file-server.ts';
import { createWorkshop } from '../support/server.ts';

/**
 * Closing forgets for real: after a full workshop is closed, the raw bytes of the database files
 * (main, -wal, -shm) hold none of its private facts — not even in free pages or old WAL frames,
 * where deleted rows used to stay readable with `strings`. Checked straight after a SIGKILL
 * that follows the close's acknowledgement, and again after a restart.
 */
const server = serverForFile();

/** Every byte of every database file in the data folder. */
function databaseBytes(): { files: string[]; bytes: Buffer } {
  const files = readdirSync(server().dataDir).filter((f) => f.startsWith('fishbone.sqlite'));
  return { files, bytes: Buffer.concat(files.map((f) => readFileSync(join(server().dataDir, f)))) };
}

describe('closing a workshop', () => {
  // Its own timeout: after the SIGKILL a server process starts again (about 1 s idle, several on a
  // busy two-core CI machine), which the default 20 s for the whole test left little room for.
  it('leaves no participant id, ballot or withdrawn hidden text anywhere in the database files', async () => {
    const w = await createWorkshop(server().url, { title: 'Forgetting', silent: true });
    const fac = await TestClient.facilitator(server().url, w.code, w.facilitatorKey);
    await fac.do({ type: 'settings.set', groups: ['NHS', 'Council', 'Housing'] });
    const people = await Promise.all(Array.from({ length: 22 }, () => TestClient.participant(server().url, w.code)));
    const db = new Database(join(server().dataDir, 'fishbone.sqlite'), { readonly: true });
    const workshopId = db.prepare('SELECT id FROM workshops WHERE code = ?').pluck().get(w.code) as string;
    db.close();
    for (const [i, p] of people.entries()) await p.do({ type: 'profile.set', group: ['NHS', 'Council', 'Housing'][i % 3] });
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    const secrets: string[] = [];
    const noteIds: string[] = [];
    for (const [i, p] of people.entries()) {
      const { noteId } = await p.do({
        type: 'note.add',
        boneId: ['people', 'processes', 'resources'][i % 3],
        text: `Barrier from person ${i}`,
      });
      noteIds.push(noteId!);
      if (i % 4 === 0) {
        // Written, then reworded before anyone saw it: the first wording is private for ever.
        secrets.push(`FIRST-WORDING-${i}-qzx`);
        const { noteId: draft } = await p.do({ type: 'note.add', boneId: 'structures', text: secrets.at(-1)! });
        await p.do({ type: 'note.edit', noteId: draft!, text: `Reworded barrier ${i}` });
      }
      if (i % 5 === 1) {
        // Written, then withdrawn before the reveal.
        secrets.push(`WITHDRAWN-${i}-qzx`);
        const { noteId: gone } = await p.do({ type: 'note.add', boneId: 'structures', text: secrets.at(-1)! });
        await p.do({ type: 'note.delete', noteId: gone! });
      }
    }
    await fac.do({ type: 'phase.set', phase: 'vote' });
    await until(() => fac.board().notes.length >= 22, 'the reveal');
    const visible = fac.board().notes.map((n) => n.id);
    for (const [i, p] of people.entries()) {
      await p.do({ type: 'vote.change', noteId: visible[(i * 3) % visible.length], delta: 2 });
      await p.do({ type: 'vote.change', noteId: visible[(i * 5 + 1) % visible.length], delta: 1 });
    }
    await fac.do({ type: 'phase.set', phase: 'reveal' });
    await fac.do({ type: 'phase.set', phase: 'act' });
    await fac.do({ type: 'action.add', noteId: visible[0], what: 'Agree who chairs', who: 'Board', when: 'March' });

    const pids = people.map((p) => participantId(workshopId, p.token!));
    // Before closing the private facts are there (or this test would prove nothing).
    await until(() => databaseBytes().bytes.includes(pids[0]), 'participant ids on disk');

    await fac.do({ type: 'phase.set', phase: 'closed' });
    await server().stop('SIGKILL');
    const scan = (when: string) => {
      const { files, bytes } = databaseBytes();
      const text = bytes.toString('latin1');
      const found = [...pids.filter((pid) => text.includes(pid)), ...secrets.filter((s) => text.includes(s))];
      expect(found, `${when}: private facts in ${files.join(', ')} (${bytes.length} bytes)`).toEqual([]);
      return bytes.length;
    };
    const afterKill = scan('straight after a SIGKILL');
    expect(afterKill).toBeGreaterThan(0);
    await server().start();
    const back = await TestClient.facilitator(server().url, w.code, w.facilitatorKey);
    expect(back.board().meta.phase).toBe('closed');
    expect(back.board().tally!.voters).toBe(22);
    back.close();
    scan('after a restart');
    for (const c of [fac, ...people]) c.close();
  }, 60_000);
});
