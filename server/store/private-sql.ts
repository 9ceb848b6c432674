import type { ColumnType, TableDef, Value, Write } from './private-tables.ts';

/**
 * The SQL of private-tables.ts's definitions, in either store's dialect. The statements are the
 * same text in both but for the placeholders (`?` in SQLite, `$n` in PostgreSQL) and booleans
 * (0/1 in SQLite): the same rows, the same conflicts, the same meaning.
 */
export type Dialect = 'sqlite' | 'postgres';

export interface Sql {
  text: string;
  values: Value[];
}

const placeholders = (dialect: Dialect) => {
  let n = 0;
  return () => (dialect === 'sqlite' ? '?' : `$${++n}`);
};

const bind = (dialect: Dialect, v: Value): Value => (dialect === 'sqlite' && typeof v === 'boolean' ? (v ? 1 : 0) : v);

/** The statement of one write of workshop `w`'s rows. */
export function writeSql(dialect: Dialect, w: string, write: Write): Sql {
  const p = placeholders(dialect);
  const t = write.table;
  const values: Value[] = [];
  const arg = (v: Value): string => {
    values.push(bind(dialect, v));
    return p();
  };
  const where = (cond: Record<string, Value>): string =>
    [`${t.workshopColumn} = ${arg(w)}`, ...Object.entries(cond).map(([c, v]) => `${c} = ${arg(v)}`)].join(' AND ');
  switch (write.do) {
    case 'insert': {
      const cols = [t.workshopColumn, ...Object.keys(write.values)];
      const args = [arg(w), ...Object.values(write.values).map(arg)];
      let text = `INSERT INTO ${t.name} (${cols.join(', ')}) VALUES (${args.join(', ')})`;
      const others = Object.keys(write.values).filter((c) => !t.key.includes(c));
      if (write.conflict === 'ignore' || (write.conflict === 'replace' && others.length === 0)) text += ' ON CONFLICT DO NOTHING';
      else if (write.conflict === 'replace')
        text += ` ON CONFLICT (${[t.workshopColumn, ...t.key].join(', ')}) DO UPDATE SET ${others.map((c) => `${c} = excluded.${c}`).join(', ')}`;
      return { text, values };
    }
    case 'update': {
      const sets = Object.entries(write.set).map(([c, v]) => `${c} = ${arg(v)}`);
      return { text: `UPDATE ${t.name} SET ${sets.join(', ')} WHERE ${where(write.where)}`, values };
    }
    case 'delete':
      return { text: `DELETE FROM ${t.name} WHERE ${where(write.where)}`, values };
    default:
      throw new Error(`unknown write ${JSON.stringify(write satisfies never)}`);
  }
}

/** The query that reads one workshop's rows of a table, for its load. */
export function selectSql(dialect: Dialect, t: TableDef): string {
  const order = t.orderBy ? ` ORDER BY ${t.orderBy}` : '';
  return `SELECT ${Object.keys(t.columns).join(', ')} FROM ${t.name} WHERE ${t.workshopColumn} = ${placeholders(dialect)()}${order}`;
}

const read: Record<ColumnType, (v: unknown) => Value> = {
  text: (v) => v as string,
  'text?': (v) => (v ?? null) as string | null,
  int: (v) => Number(v),
  bigint: (v) => Number(v),
  // SQLite keeps a boolean as 0 or 1.
  bool: (v) => v === true || v === 1,
};

/** A row as either driver returns it, in the definition's types (PostgreSQL's BIGINT is a string). */
export function rowOf(t: TableDef, raw: Record<string, unknown>): Record<string, Value> {
  const row: Record<string, Value> = {};
  for (const [c, type] of Object.entries(t.columns)) row[c] = read[type](raw[c]);
  return row;
}
