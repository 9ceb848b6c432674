import { z } from 'zod';
import { ACTION_MAX, BUDGET_MAX, checkText, CONTROL_TAGS, FINISHING_PHASES, GROUP_MAX, NOTE_MAX, PROMPT_MAX, TITLE_MAX } from './limits.ts';
import { PHASES } from './phases.ts';
import { isSafeId, UNSAFE_ID_MESSAGE } from './safe-keys.ts';
import { SCREEN_MODES } from './doc.ts';
import { ACTION_STATUSES, CHANGE_ANSWERS } from './partnership/series.ts';

export { ACTION_MAX, BUDGET_MAX, checkText, CONTROL_TAGS, GROUP_MAX, NOTE_MAX, PROMPT_MAX, TITLE_MAX, type ControlTag } from './limits.ts';

/**
 * Every command a client can send, one zod schema each. The server parses with these; the
 * client gets its types from them, so both ends speak one vocabulary.
 */

/** A client-made command id: a retry with the same id is answered once, from the first answer. */
const commandId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'id must be 8-64 letters, digits, - or _');
/** A reference to a note, bone, quick-pick, action or link: never a reserved name (safe-keys.ts). */
export const safeId = z.string().refine(isSafeId, UNSAFE_ID_MESSAGE);
const ref = safeId;
/** Text fields are bounded generously here; their real limits are checked with clear codes. */
const text = z.string().max(4 * NOTE_MAX);

/**
 * Text a person wrote that everyone will see (a title, a bone, a note in an import): the same
 * rules as a note (shared/limits.ts checkText), said as the note's error would say them.
 */
export const shownText = (max: number) =>
  z.string().transform((raw, ctx) => {
    const t = checkText(raw, max);
    if (t.ok) return t.text;
    ctx.addIssue({
      code: 'custom',
      message:
        t.code === 'too_long'
          ? `at most ${max} characters`
          : t.code === 'empty_text'
            ? 'must not be empty'
            : 'contains characters that cannot be shown',
    });
    return z.NEVER;
  });

/** Spaces that make every command's frame one size (shared/padding.ts); ignored. */
const pad = z.string().regex(/^ *$/, 'pad is spaces only').max(4096).optional();

const cmd = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.strictObject({ type: z.literal(type), id: commandId, pad, ...shape });

export const promptsSchema = z.partialRecord(z.enum(PHASES), z.string().max(PROMPT_MAX));

export const commandSchema = z.discriminatedUnion('type', [
  // notes
  cmd('note.add', { boneId: ref, subBoneId: ref.nullable().optional(), text: text.optional(), pick: ref.optional() }),
  cmd('note.edit', { noteId: ref, text }),
  cmd('note.delete', { noteId: ref }),
  cmd('note.move', { noteId: ref, boneId: ref, subBoneId: ref.nullable().optional() }),
  // moderation: take a note off every screen, and bring it back
  cmd('note.hide', { noteId: ref, hidden: z.boolean() }),
  cmd('note.merge', { noteId: ref, sourceIds: z.array(ref).min(1).max(50), text: text.optional() }),
  cmd('notes.reveal', {}),
  cmd('board.lock', { locked: z.boolean() }),
  // run of show
  cmd('phase.set', { phase: z.enum(PHASES) }),
  cmd('settings.set', {
    title: z
      .string()
      .max(TITLE_MAX * 2)
      .optional(),
    budget: z.number().int().optional(),
    cap: z.number().int().optional(),
    facilitatorVotes: z.boolean().optional(),
    silent: z.boolean().optional(),
    /** Hold participants' new notes for review before they reach the board (moderation). */
    hold: z.boolean().optional(),
    showRanking: z.boolean().optional(),
    topN: z.number().int().min(1).max(50).optional(),
    prompts: promptsSchema.optional(),
    groups: z
      .array(z.string().max(GROUP_MAX * 2))
      .max(12)
      .optional(),
  }),
  // a participant's own optional group, for breakdowns of 3+ people only
  cmd('profile.set', {
    group: z
      .string()
      .max(GROUP_MAX * 2)
      .nullable(),
  }),
  cmd('timer.start', { minutes: z.number().int() }),
  cmd('timer.add', { minutes: z.number().int().min(1).max(10) }),
  cmd('timer.pause', {}),
  cmd('timer.resume', {}),
  cmd('timer.stop', {}),
  // voting
  cmd('vote.change', { noteId: ref, delta: z.number().int().min(-BUDGET_MAX).max(BUDGET_MAX) }),
  // act
  cmd('act.tag', { noteId: ref, tag: z.enum(CONTROL_TAGS).nullable() }),
  cmd('action.add', {
    noteId: ref.nullable().optional(),
    what: z.string().max(ACTION_MAX * 2),
    who: z.string().max(ACTION_MAX * 2),
    when: z.string().max(ACTION_MAX * 2),
  }),
  cmd('action.delete', { actionId: ref }),
  // co-facilitation
  cmd('cofacilitator.create', {}),
  cmd('cofacilitator.revoke', { linkId: ref }),
  // the hybrid day (issue 13): "I've finished" (counts only), anonymous action proposals, and
  // each participant's "within our control?" per top barrier (private; counts once shown)
  cmd('finished.set', { phase: z.enum(FINISHING_PHASES), finished: z.boolean() }),
  cmd('proposal.add', { text: z.string().max(ACTION_MAX * 2) }),
  cmd('proposals.show', {}),
  cmd('proposal.accept', {
    proposalId: ref,
    noteId: ref.nullable().optional(),
    who: z.string().max(ACTION_MAX * 2),
    when: z.string().max(ACTION_MAX * 2),
  }),
  cmd('proposal.dismiss', { proposalId: ref }),
  cmd('control.answer', { noteId: ref, answer: z.enum(CONTROL_TAGS).nullable() }),
  cmd('control.show', {}),
  // --- The facilitator in control (server/workshop/projector.ts, undo.ts, rounds.ts) ---
  /** The projector: live, blank (join code only) or frozen; the overview or one bone in focus. */
  cmd('screen.set', {
    mode: z.enum(SCREEN_MODES).optional(),
    focus: z
      .strictObject({ boneId: ref, page: z.number().int().min(0).max(999) })
      .nullable()
      .optional(),
    auto: z.boolean().optional(),
  }),
  /** Close this round's voting, or reopen it (until its results are revealed). */
  cmd('vote.close', { closed: z.boolean() }),
  /** After a reveal: vote again on the top N notes, with a fresh budget (and cap). */
  cmd('round.start', { top: z.number().int().min(2).max(20), budget: z.number().int().optional(), cap: z.number().int().optional() }),
  /** Undo one moderation step, by its number on the facilitators' undo list. */
  cmd('undo', { seq: z.number().int().min(1) }),
  // --- A partnership (issue 26): the next workshop starts from the last one ---
  /** What became of one of last time's actions (null: not said yet). */
  cmd('since.status', { actionId: ref, status: z.enum(ACTION_STATUSES).nullable() }),
  /** Carry one of last time's unfinished actions on into this workshop. */
  cmd('since.carry', { actionId: ref }),
  /** One of last time's top barriers is this note here (null: it is not). */
  cmd('since.match', { barrierId: ref, noteId: ref.nullable() }),
  /** A participant's own "since last time this has got better / stayed the same / got worse". */
  cmd('since.rate', { barrierId: ref, answer: z.enum(CHANGE_ANSWERS).nullable() }),
  /** Show the room's answers as counts, once (answering then closes). */
  cmd('since.show', {}),
]);

export type Command = z.infer<typeof commandSchema>;
export type CommandType = Command['type'];
export type CommandOf<T extends CommandType> = Extract<Command, { type: T }>;
/** A command as a client builds it, before the sender stamps the id on. */
export type CommandInput = Command extends infer C ? (C extends Command ? Omit<C, 'id'> : never) : never;

/** Commands only a facilitator may send. */
export const FACILITATOR_COMMANDS: ReadonlySet<CommandType> = new Set<CommandType>([
  'note.move',
  'note.merge',
  'note.hide',
  'notes.reveal',
  'board.lock',
  'phase.set',
  'settings.set',
  'timer.start',
  'timer.add',
  'timer.pause',
  'timer.resume',
  'timer.stop',
  'act.tag',
  'action.add',
  'action.delete',
  'cofacilitator.create',
  'cofacilitator.revoke',
  'proposals.show',
  'proposal.accept',
  'proposal.dismiss',
  'control.show',
  // The facilitator in control
  'screen.set',
  'undo',
  'vote.close',
  'round.start',
  // A partnership
  'since.status',
  'since.carry',
  'since.match',
  'since.show',
]);

/** Commands only a participant may send: each is a person's own answer, kept private. */
export const PARTICIPANT_COMMANDS: ReadonlySet<CommandType> = new Set<CommandType>([
  'finished.set',
  'proposal.add',
  'control.answer',
  'since.rate',
]);

/** Participant tokens are made by the browser: 128+ random bits, base64url. */
export const participantToken = z.string().regex(/^[A-Za-z0-9_-]{22,64}$/);

export const joinSchema = z.discriminatedUnion('as', [
  z.strictObject({
    as: z.literal('participant'),
    code: z.string().max(16),
    token: participantToken,
    stateVector: z.instanceof(Uint8Array).optional(),
  }),
  z.strictObject({
    as: z.literal('facilitator'),
    code: z.string().max(16),
    key: z.string().max(128),
    stateVector: z.instanceof(Uint8Array).optional(),
  }),
  z.strictObject({ as: z.literal('screen'), code: z.string().max(16), stateVector: z.instanceof(Uint8Array).optional() }),
]);
export type JoinRequest = z.infer<typeof joinSchema>;
export type Role = JoinRequest['as'];

export const createWorkshopSchema = z.strictObject({
  title: shownText(TITLE_MAX),
  template: z.enum(['barriers', 'barriers-6', 'six-m', 'blank']).default('barriers'),
  bones: z.array(shownText(60)).min(1).max(12).optional(),
  head: shownText(120).optional(),
  silent: z.boolean().default(true),
  /** Start it in a partnership (issue 26): the partnership's id and one of its keys. */
  partnership: z.strictObject({ id: safeId, key: z.string().max(128) }).optional(),
});
export type CreateWorkshop = z.input<typeof createWorkshopSchema>;

/** A join request as a client describes itself; the state vector is added when joining. */
export type JoinAs = JoinRequest extends infer J ? (J extends JoinRequest ? Omit<J, 'stateVector'> : never) : never;
