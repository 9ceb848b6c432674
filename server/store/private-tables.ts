import type { ControlTag, FinishingPhase } from '../../shared/limits.ts';
import type { ChangeAnswer } from '../../shared/partnership/series.ts';
import type { KeyRow, PrivateOp, ProposalRow } from './store.ts';

/**
 * Every private table, defined once: its columns, the ops that rebuild the state from its rows
 * (load), the rows each op writes, and whether closing purges it. Both stores run what this
 * says, each in its own SQL dialect (sql-of-writes.ts): SQLite (sqlite.ts) and PostgreSQL
 * (postgres.ts, postgres-ops.ts), and the forgetting sweep rewrites the tables marked purged.
 *
 * A new private fact: its op in store.ts's PrivateOp, its table here (and a case in writesOf,
 * which the compiler holds to every op), a schema step per dialect made from the definition
 * (createTableSql), and what private-state.ts does with the op.
 */

/** text? may be null; bigint is INTEGER in SQLite, BIGINT in PostgreSQL (read back as a string there). */
export type ColumnType = 'text' | 'text?' | 'int' | 'bigint' | 'bool';
type ValueOf<T extends ColumnType> = T extends 'text' ? string : T extends 'text?' ? string | null : T extends 'bool' ? boolean : number;
export type RowOf<C extends Record<string, ColumnType>> = { [K in keyof C]: ValueOf<C[K]> };
export type Value = string | number | boolean | null;

export interface TableDef<C extends Record<string, ColumnType> = Record<string, ColumnType>> {
  name: string;
  /** The column that names the workshop (`id` on the workshops table itself). */
  workshopColumn: string;
  /** The other columns, in order. */
  columns: C;
  /** The primary key besides the workshop: what an upsert conflicts on. */
  key: Array<keyof C & string>;
  /** Emptied of a workshop when it closes (and rewritten out of PostgreSQL's files after). */
  purged: boolean;
  orderBy?: string;
  /** The ops that rebuild the private state from one row; a table only written has none. */
  load?(row: RowOf<C>): PrivateOp[];
}

/** Typed while it is written (load sees its own columns' types), then one of the list. */
const table = <C extends Record<string, ColumnType>>(def: TableDef<C>): TableDef => def as unknown as TableDef;
const owned = { workshopColumn: 'workshop_id' } as const;

// In the order a load replays them (the order the stores have always read them in).
const keys = table({
  ...owned,
  name: 'facilitator_keys',
  columns: { id: 'text', key_hash: 'text', kind: 'text', created_at: 'bigint', revoked: 'bool' },
  // Its id alone is the primary key; a key is only ever inserted (never upserted) and revoked.
  key: [],
  purged: false,
  orderBy: 'created_at, id',
  load: (r) => [
    { t: 'key.add', row: { id: r.id, keyHash: r.key_hash, kind: r.kind as KeyRow['kind'], createdAt: r.created_at, revoked: r.revoked } },
  ],
});
const participants = table({
  ...owned,
  name: 'participants',
  columns: { participant_id: 'text', group_name: 'text?' },
  key: ['participant_id'],
  purged: true,
  load: (r) => [
    { t: 'participant', participantId: r.participant_id },
    ...(r.group_name === null ? [] : [{ t: 'group', participantId: r.participant_id, group: r.group_name } as const]),
  ],
});
const authors = table({
  ...owned,
  name: 'note_authors',
  columns: { note_id: 'text', participant_id: 'text' },
  key: ['note_id', 'participant_id'],
  purged: true,
  load: (r) => [{ t: 'author', noteId: r.note_id, participantId: r.participant_id }],
});
const hidden = table({
  ...owned,
  name: 'hidden_notes',
  columns: { note_id: 'text', bone_id: 'text', sub_bone_id: 'text?', text: 'text', pick: 'text?' },
  key: ['note_id'],
  purged: true,
  load: (r) => [{ t: 'hidden.put', row: { noteId: r.note_id, boneId: r.bone_id, subBoneId: r.sub_bone_id, text: r.text, pick: r.pick } }],
});
const moderated = table({
  ...owned,
  name: 'moderated_notes',
  columns: { note_id: 'text', data: 'text' },
  key: ['note_id'],
  purged: true,
  load: (r) => [{ t: 'moderated.put', noteId: r.note_id, json: r.data }],
});
const ballots = table({
  ...owned,
  name: 'ballots',
  columns: { participant_id: 'text', note_id: 'text', dots: 'int' },
  key: ['participant_id', 'note_id'],
  purged: true,
  load: (r) => [{ t: 'ballot', participantId: r.participant_id, noteId: r.note_id, dots: r.dots }],
});
const commands = table({
  ...owned,
  name: 'commands',
  columns: { actor: 'text', command_id: 'text', result: 'text' },
  key: ['actor', 'command_id'],
  purged: true,
  load: (r) => [{ t: 'command', actor: r.actor, commandId: r.command_id, result: r.result }],
});
/** The group breakdown is an aggregate on the workshop's own row: it outlives closing (which sets closed_at there). */
const workshopRow = table({
  name: 'workshops',
  workshopColumn: 'id',
  columns: { breakdown: 'text?' },
  key: [],
  purged: false,
  load: (r) => (r.breakdown ? [{ t: 'breakdown', json: r.breakdown }] : []),
});
const finished = table({
  ...owned,
  name: 'finished',
  columns: { participant_id: 'text', phase: 'text' },
  key: ['participant_id', 'phase'],
  purged: true,
  load: (r) => [{ t: 'finished', participantId: r.participant_id, phase: r.phase as FinishingPhase, finished: true }],
});
const proposals = table({
  ...owned,
  name: 'proposals',
  columns: { proposal_id: 'text', participant_id: 'text', text: 'text', state: 'text', ord: 'int' },
  key: ['proposal_id'],
  purged: true,
  load: (r) => [
    {
      t: 'proposal.put',
      row: { id: r.proposal_id, participantId: r.participant_id, text: r.text, state: r.state as ProposalRow['state'], order: r.ord },
    },
  ],
});
const answers = table({
  ...owned,
  name: 'control_answers',
  columns: { participant_id: 'text', note_id: 'text', answer: 'text' },
  key: ['participant_id', 'note_id'],
  purged: true,
  load: (r) => [{ t: 'answer', participantId: r.participant_id, noteId: r.note_id, answer: r.answer as ControlTag }],
});
const reviews = table({
  ...owned,
  name: 'note_reviews',
  columns: { note_id: 'text', data: 'text' },
  key: ['note_id'],
  purged: true,
  load: (r) => [{ t: 'review.put', noteId: r.note_id, json: r.data }],
});
const voters = table({
  ...owned,
  name: 'round_voters',
  columns: { participant_id: 'text' },
  key: ['participant_id'],
  purged: true,
  load: (r) => [{ t: 'voted', participantId: r.participant_id }],
});
const undo = table({
  ...owned,
  name: 'undo_steps',
  columns: { seq: 'int', data: 'text' },
  key: ['seq'],
  purged: true,
  orderBy: 'seq',
  load: (r) => [{ t: 'undo.put', seq: r.seq, json: r.data }],
});
const since = table({
  ...owned,
  name: 'since_answers',
  columns: { participant_id: 'text', barrier_id: 'text', answer: 'text' },
  key: ['participant_id', 'barrier_id'],
  purged: true,
  load: (r) => [{ t: 'since.answer', participantId: r.participant_id, barrierId: r.barrier_id, answer: r.answer as ChangeAnswer }],
});
/** The outcome a partnership keeps of the workshop: written, never read back into a workshop. */
const partnershipSummary = table({
  ...owned,
  name: 'partnership_workshops',
  columns: { summary: 'text' },
  key: [],
  purged: false,
});

/** Every table a private op writes, in the order a load reads them. */
export const PRIVATE_TABLES: readonly TableDef[] = [
  keys,
  participants,
  authors,
  hidden,
  moderated,
  ballots,
  commands,
  workshopRow,
  finished,
  proposals,
  answers,
  reviews,
  voters,
  undo,
  since,
  partnershipSummary,
];

/** The tables closing empties of a workshop. */
export const PURGED: readonly string[] = PRIVATE_TABLES.filter((t) => t.purged).map((t) => t.name);

/**
 * One row-level write. Every write is of one workshop's rows: the store adds the workshop's
 * column to the values (insert) or to the condition (update, delete).
 */
export type Write =
  /** ignore: keep the row there already; replace: update its other columns. */
  | { do: 'insert'; table: TableDef; values: Record<string, Value>; conflict: 'fail' | 'ignore' | 'replace' }
  | { do: 'update'; table: TableDef; set: Record<string, Value>; where: Record<string, Value> }
  | { do: 'delete'; table: TableDef; where: Record<string, Value> };

const put = (table: TableDef, values: Record<string, Value>): Write => ({ do: 'insert', table, values, conflict: 'replace' });
const add = (table: TableDef, values: Record<string, Value>): Write => ({ do: 'insert', table, values, conflict: 'ignore' });
const del = (table: TableDef, where: Record<string, Value> = {}): Write => ({ do: 'delete', table, where });
const set = (table: TableDef, values: Record<string, Value>, where: Record<string, Value> = {}): Write => ({
  do: 'update',
  table,
  set: values,
  where,
});

/** The rows one private op writes. Exhaustive: a new op does not compile until it has its case. */
export function writesOf(op: PrivateOp): Write[] {
  switch (op.t) {
    case 'participant':
      return [add(participants, { participant_id: op.participantId })];
    case 'group':
      return [set(participants, { group_name: op.group }, { participant_id: op.participantId })];
    case 'breakdown':
      return [set(workshopRow, { breakdown: op.json })];
    case 'moderated.put':
      return [put(moderated, { note_id: op.noteId, data: op.json })];
    case 'moderated.del':
      return [del(moderated, { note_id: op.noteId })];
    case 'purge':
      return [...PRIVATE_TABLES.filter((t) => t.purged).map((t) => del(t)), set(workshopRow, { closed_at: op.closedAt })];
    case 'author':
      return [add(authors, { note_id: op.noteId, participant_id: op.participantId })];
    case 'unauthor':
      return [del(authors, { note_id: op.noteId })];
    case 'author.del':
      return [del(authors, { note_id: op.noteId, participant_id: op.participantId })];
    case 'hidden.put': {
      const r = op.row;
      return [put(hidden, { note_id: r.noteId, bone_id: r.boneId, sub_bone_id: r.subBoneId, text: r.text, pick: r.pick })];
    }
    case 'hidden.del':
      return [del(hidden, { note_id: op.noteId })];
    case 'ballot':
      return op.dots > 0
        ? [put(ballots, { participant_id: op.participantId, note_id: op.noteId, dots: op.dots })]
        : [del(ballots, { participant_id: op.participantId, note_id: op.noteId })];
    case 'ballot.clearNote':
      return [del(ballots, { note_id: op.noteId })];
    case 'command':
      return [add(commands, { actor: op.actor, command_id: op.commandId, result: op.result })];
    case 'key.add': {
      const r = op.row;
      const values = { id: r.id, key_hash: r.keyHash, kind: r.kind, created_at: r.createdAt, revoked: r.revoked };
      return [{ do: 'insert', table: keys, values, conflict: 'fail' }];
    }
    case 'key.revoke':
      return [set(keys, { revoked: true }, { id: op.id })];
    case 'finished':
      return op.finished
        ? [add(finished, { participant_id: op.participantId, phase: op.phase })]
        : [del(finished, { participant_id: op.participantId, phase: op.phase })];
    case 'finished.reset':
      return [del(finished, { phase: op.phase })];
    case 'proposal.put': {
      const r = op.row;
      return [put(proposals, { proposal_id: r.id, participant_id: r.participantId, text: r.text, state: r.state, ord: r.order })];
    }
    case 'proposal.del':
      return [del(proposals, { proposal_id: op.proposalId })];
    case 'answer':
      return op.answer
        ? [put(answers, { participant_id: op.participantId, note_id: op.noteId, answer: op.answer })]
        : [del(answers, { participant_id: op.participantId, note_id: op.noteId })];
    case 'review.put':
      return [put(reviews, { note_id: op.noteId, data: op.json })];
    case 'review.del':
      return [del(reviews, { note_id: op.noteId })];
    case 'voted':
      return [add(voters, { participant_id: op.participantId })];
    case 'round.reset':
      return [del(ballots), del(voters)];
    case 'undo.put':
      return [put(undo, { seq: op.seq, data: op.json })];
    case 'undo.del':
      return [del(undo, { seq: op.seq })];
    case 'since.answer':
      return op.answer
        ? [put(since, { participant_id: op.participantId, barrier_id: op.barrierId, answer: op.answer })]
        : [del(since, { participant_id: op.participantId, barrier_id: op.barrierId })];
    case 'partnership.summary':
      return [set(partnershipSummary, { summary: op.json })];
    default:
      return unknownOp(op);
  }
}

/** The compiler's check that every op has its case; reaching it at run time is a bug. */
export function unknownOp(op: never): never {
  throw new Error(`no store write for private op ${JSON.stringify(op)}`);
}
