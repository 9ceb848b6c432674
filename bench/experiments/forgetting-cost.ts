import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../server/store/sqlite.ts';
import type { Batch, PrivateOp } from '../../server/store/store.ts';

/**
 * What forgetting the bytes costs (docs/THREAT-MODEL.md): the store's commit time for a day's
 * mix of private writes with `secure_delete` on and off, and the time to close a workshop of 300
 * (purge, then truncate the WAL before the close is acknowledged). Runs interleaved, 3 rounds.
 *   npx tsx bench/experiments/forgetting-cost.ts
 */
const id = (n = 9) => randomBytes(n).toString('base64url');
const PEOPLE = 300;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * p)];

async function day(secureDelete: boolean): Promise<{ p50: number; p95: number; closeMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'forget-'));
  const store = new SqliteStore(join(dir, 'f.sqlite'), { secureDelete });
  const w = id(12);
  await store.createWorkshop(
    { id: w, code: 'ABCDEF', title: 'Cost', template: 'barriers', phase: 'brainstorm', createdAt: 0, serverClientId: 1, closedAt: null },
    { id: id(), keyHash: 'x'.repeat(64), kind: 'owner', createdAt: 0, revoked: false },
    new Uint8Array([0, 0]),
  );
  const people = Array.from({ length: PEOPLE }, () => id(16));
  const notes: string[] = [];
  const times: number[] = [];
  const commit = async (ops: PrivateOp[]) => {
    const batch: Batch = { docUpdate: randomBytes(120), docSnapshot: null, ops };
    const t0 = performance.now();
    await store.commit(w, batch);
    times.push(performance.now() - t0);
  };
  for (const p of people) await commit([{ t: 'participant', participantId: p }]);
  // A silent brainstorm: three notes each, a third reworded, a tenth withdrawn.
  for (const [i, p] of people.entries()) {
    for (let k = 0; k < 3; k++) {
      const noteId = id();
      notes.push(noteId);
      const row = { noteId, boneId: 'people', subBoneId: null, text: `Barrier ${i}-${k} ${'x'.repeat(80)}`, pick: null };
      await commit([
        { t: 'hidden.put', row },
        { t: 'author', noteId, participantId: p },
      ]);
      if (k === 0 && i % 3 === 0) await commit([{ t: 'hidden.put', row: { ...row, text: `Reworded ${i}` } }]);
      if (k === 1 && i % 10 === 0)
        await commit([
          { t: 'hidden.del', noteId },
          { t: 'unauthor', noteId },
        ]);
    }
  }
  // Five dots each, one at a time, some taken back.
  for (const [i, p] of people.entries()) {
    for (let d = 0; d < 5; d++) await commit([{ t: 'ballot', participantId: p, noteId: notes[(i * 7 + d) % notes.length], dots: 1 }]);
    if (i % 4 === 0) await commit([{ t: 'ballot', participantId: p, noteId: notes[(i * 7) % notes.length], dots: 0 }]);
  }
  const t0 = performance.now();
  await store.commit(w, { docUpdate: null, docSnapshot: null, ops: [{ t: 'purge', closedAt: 1 }] });
  const closeMs = performance.now() - t0;
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return { p50: pct(times, 0.5), p95: pct(times, 0.95), closeMs };
}

const rows: Record<string, Array<{ p50: number; p95: number; closeMs: number }>> = { on: [], off: [] };
for (let round = 0; round < 3; round++) {
  for (const on of [true, false]) rows[on ? 'on' : 'off'].push(await day(on));
}
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [k, r] of Object.entries(rows)) {
  console.log(
    `secure_delete ${k.padEnd(3)}  commit p50 ${med(r.map((x) => x.p50)).toFixed(3)} ms  p95 ${med(r.map((x) => x.p95)).toFixed(3)} ms  close (purge + WAL truncate) ${med(r.map((x) => x.closeMs)).toFixed(1)} ms`,
  );
}
