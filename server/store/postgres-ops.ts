import { writeSql, type Sql } from './private-sql.ts';
import { PURGED, writesOf } from './private-tables.ts';
import type { Batch, PrivateOp } from './store.ts';

/** One statement of a batch: prepared once per connection under its name. */
export interface Statement {
  name: string;
  text: string;
  values: unknown[];
}

const st = (name: string, text: string, values: unknown[]): Statement => ({ name, text, values });

/** The private tables closing empties, which the forgetting sweep rewrites (postgres-forget.ts). */
export { PURGED };

/** Each statement text gets one short name, the same on every connection that prepares it. */
const names = new Map<string, string>();
const named = ({ text, values }: Sql): Statement => {
  let name = names.get(text);
  if (name === undefined) names.set(text, (name = `w${names.size}`));
  return { name, text, values };
};

/** The statements that write one private op (private-tables.ts), as the SQLite store writes it. */
const opStatements = (w: string, op: PrivateOp): Statement[] => writesOf(op).map((write) => named(writeSql('postgres', w, write)));

/** Every statement of one batch, in the order the SQLite store runs them. */
export function batchStatements(w: string, batch: Batch): Statement[] {
  const out: Statement[] = [];
  if (batch.docSnapshot) {
    out.push(st('updates.clear', 'DELETE FROM doc_updates WHERE workshop_id = $1', [w]));
    out.push(st('updates.first', 'INSERT INTO doc_updates (workshop_id, seq, data) VALUES ($1, 1, $2)', [w, batch.docSnapshot]));
  } else if (batch.docUpdate) {
    // Only the owner writes a workshop (its lease), so reading the next number here cannot race.
    out.push(
      st(
        'updates.append',
        'INSERT INTO doc_updates (workshop_id, seq, data) SELECT $1, COALESCE(MAX(seq), 0) + 1, $2 FROM doc_updates WHERE workshop_id = $1',
        [w, batch.docUpdate],
      ),
    );
  }
  for (const op of batch.ops) out.push(...opStatements(w, op));
  if (batch.row)
    out.push(st('workshop.row', 'UPDATE workshops SET title = $2, phase = $3 WHERE id = $1', [w, batch.row.title, batch.row.phase]));
  return out;
}
