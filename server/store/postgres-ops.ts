import type { Batch, PrivateOp } from './store.ts';

/** One statement of a batch: prepared once per connection under its name. */
export interface Statement {
  name: string;
  text: string;
  values: unknown[];
}

const st = (name: string, text: string, values: unknown[]): Statement => ({ name, text, values });

/** The private tables: emptied of a workshop when it closes, and rewritten out of their files after (postgres-forget.ts). */
export const PURGED = [
  'note_authors',
  'ballots',
  'hidden_notes',
  'moderated_notes',
  'commands',
  'participants',
  'finished',
  'proposals',
  'control_answers',
  'note_reviews',
  'round_voters',
  'undo_steps',
  'since_answers',
];

/** The statements that write one private op, as the SQLite store writes it (same tables, same meaning). */
function opStatements(w: string, op: PrivateOp): Statement[] {
  switch (op.t) {
    case 'participant':
      return [
        st('participant', 'INSERT INTO participants (workshop_id, participant_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
          w,
          op.participantId,
        ]),
      ];
    case 'group':
      return [
        st('group', 'UPDATE participants SET group_name = $3 WHERE workshop_id = $1 AND participant_id = $2', [
          w,
          op.participantId,
          op.group,
        ]),
      ];
    case 'breakdown':
      return [st('breakdown', 'UPDATE workshops SET breakdown = $2 WHERE id = $1', [w, op.json])];
    case 'moderated.put':
      return [
        st(
          'moderated.put',
          'INSERT INTO moderated_notes (workshop_id, note_id, data) VALUES ($1, $2, $3) ON CONFLICT (workshop_id, note_id) DO UPDATE SET data = excluded.data',
          [w, op.noteId, op.json],
        ),
      ];
    case 'moderated.del':
      return [st('moderated.del', 'DELETE FROM moderated_notes WHERE workshop_id = $1 AND note_id = $2', [w, op.noteId])];
    case 'purge':
      return [
        ...PURGED.map((t) => st(`purge.${t}`, `DELETE FROM ${t} WHERE workshop_id = $1`, [w])),
        st('close', 'UPDATE workshops SET closed_at = $2 WHERE id = $1', [w, op.closedAt]),
      ];
    case 'author':
      return [
        st('author', 'INSERT INTO note_authors (workshop_id, note_id, participant_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
          w,
          op.noteId,
          op.participantId,
        ]),
      ];
    case 'unauthor':
      return [st('unauthor', 'DELETE FROM note_authors WHERE workshop_id = $1 AND note_id = $2', [w, op.noteId])];
    case 'author.del':
      return [
        st('author.del', 'DELETE FROM note_authors WHERE workshop_id = $1 AND note_id = $2 AND participant_id = $3', [
          w,
          op.noteId,
          op.participantId,
        ]),
      ];
    case 'hidden.put':
      return [
        st(
          'hidden.put',
          `INSERT INTO hidden_notes (workshop_id, note_id, bone_id, sub_bone_id, text, pick) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (workshop_id, note_id) DO UPDATE SET bone_id = excluded.bone_id, sub_bone_id = excluded.sub_bone_id, text = excluded.text, pick = excluded.pick`,
          [w, op.row.noteId, op.row.boneId, op.row.subBoneId, op.row.text, op.row.pick],
        ),
      ];
    case 'hidden.del':
      return [st('hidden.del', 'DELETE FROM hidden_notes WHERE workshop_id = $1 AND note_id = $2', [w, op.noteId])];
    case 'ballot':
      return op.dots > 0
        ? [
            st(
              'ballot.set',
              'INSERT INTO ballots (workshop_id, participant_id, note_id, dots) VALUES ($1, $2, $3, $4) ON CONFLICT (workshop_id, participant_id, note_id) DO UPDATE SET dots = excluded.dots',
              [w, op.participantId, op.noteId, op.dots],
            ),
          ]
        : [
            st('ballot.del', 'DELETE FROM ballots WHERE workshop_id = $1 AND participant_id = $2 AND note_id = $3', [
              w,
              op.participantId,
              op.noteId,
            ]),
          ];
    case 'ballot.clearNote':
      return [st('ballot.clearNote', 'DELETE FROM ballots WHERE workshop_id = $1 AND note_id = $2', [w, op.noteId])];
    case 'command':
      return [
        st('command', 'INSERT INTO commands (workshop_id, actor, command_id, result) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [
          w,
          op.actor,
          op.commandId,
          op.result,
        ]),
      ];
    case 'key.add':
      return [
        st(
          'key.add',
          'INSERT INTO facilitator_keys (id, workshop_id, key_hash, kind, created_at, revoked) VALUES ($1, $2, $3, $4, $5, $6)',
          [op.row.id, w, op.row.keyHash, op.row.kind, op.row.createdAt, op.row.revoked],
        ),
      ];
    case 'key.revoke':
      return [st('key.revoke', 'UPDATE facilitator_keys SET revoked = true WHERE workshop_id = $1 AND id = $2', [w, op.id])];
    // The hybrid day: who has finished, proposals from phones, control answers.
    case 'finished':
      return op.finished
        ? [
            st('finished.set', 'INSERT INTO finished (workshop_id, participant_id, phase) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
              w,
              op.participantId,
              op.phase,
            ]),
          ]
        : [
            st('finished.del', 'DELETE FROM finished WHERE workshop_id = $1 AND participant_id = $2 AND phase = $3', [
              w,
              op.participantId,
              op.phase,
            ]),
          ];
    case 'finished.reset':
      return [st('finished.reset', 'DELETE FROM finished WHERE workshop_id = $1 AND phase = $2', [w, op.phase])];
    case 'proposal.put':
      return [
        st(
          'proposal.put',
          `INSERT INTO proposals (workshop_id, proposal_id, participant_id, text, state, ord) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (workshop_id, proposal_id) DO UPDATE SET participant_id = excluded.participant_id, text = excluded.text, state = excluded.state, ord = excluded.ord`,
          [w, op.row.id, op.row.participantId, op.row.text, op.row.state, op.row.order],
        ),
      ];
    case 'proposal.del':
      return [st('proposal.del', 'DELETE FROM proposals WHERE workshop_id = $1 AND proposal_id = $2', [w, op.proposalId])];
    case 'answer':
      return op.answer
        ? [
            st(
              'answer.set',
              'INSERT INTO control_answers (workshop_id, participant_id, note_id, answer) VALUES ($1, $2, $3, $4) ON CONFLICT (workshop_id, participant_id, note_id) DO UPDATE SET answer = excluded.answer',
              [w, op.participantId, op.noteId, op.answer],
            ),
          ]
        : [
            st('answer.del', 'DELETE FROM control_answers WHERE workshop_id = $1 AND participant_id = $2 AND note_id = $3', [
              w,
              op.participantId,
              op.noteId,
            ]),
          ];
    // The facilitator in control: held notes' reviews, who voted this round, undoable steps.
    case 'review.put':
      return [
        st(
          'review.put',
          'INSERT INTO note_reviews (workshop_id, note_id, data) VALUES ($1, $2, $3) ON CONFLICT (workshop_id, note_id) DO UPDATE SET data = excluded.data',
          [w, op.noteId, op.json],
        ),
      ];
    case 'review.del':
      return [st('review.del', 'DELETE FROM note_reviews WHERE workshop_id = $1 AND note_id = $2', [w, op.noteId])];
    case 'voted':
      return [
        st('voted', 'INSERT INTO round_voters (workshop_id, participant_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [w, op.participantId]),
      ];
    case 'round.reset':
      return [
        st('round.ballots', 'DELETE FROM ballots WHERE workshop_id = $1', [w]),
        st('round.voters', 'DELETE FROM round_voters WHERE workshop_id = $1', [w]),
      ];
    case 'undo.put':
      return [
        st(
          'undo.put',
          'INSERT INTO undo_steps (workshop_id, seq, data) VALUES ($1, $2, $3) ON CONFLICT (workshop_id, seq) DO UPDATE SET data = excluded.data',
          [w, op.seq, op.json],
        ),
      ];
    case 'undo.del':
      return [st('undo.del', 'DELETE FROM undo_steps WHERE workshop_id = $1 AND seq = $2', [w, op.seq])];
    // A partnership (issue 26): "since last time" answers, and the outcome its partnership keeps.
    case 'since.answer':
      return op.answer
        ? [
            st(
              'since.set',
              'INSERT INTO since_answers (workshop_id, participant_id, barrier_id, answer) VALUES ($1, $2, $3, $4) ON CONFLICT (workshop_id, participant_id, barrier_id) DO UPDATE SET answer = excluded.answer',
              [w, op.participantId, op.barrierId, op.answer],
            ),
          ]
        : [
            st('since.del', 'DELETE FROM since_answers WHERE workshop_id = $1 AND participant_id = $2 AND barrier_id = $3', [
              w,
              op.participantId,
              op.barrierId,
            ]),
          ];
    case 'partnership.summary':
      return [st('partnership.summary', 'UPDATE partnership_workshops SET summary = $2 WHERE workshop_id = $1', [w, op.json])];
  }
}

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
