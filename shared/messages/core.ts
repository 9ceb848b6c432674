import { CONTROL_TAG_NAMES } from './control-tags.ts';
import type { ErrorCode } from '../errors.ts';
import { NOTE_MAX } from '../limits.ts';
import type { Phase } from '../phases.ts';

/**
 * Every word the product shows a person is in this folder, one English catalogue split by page
 * so a phone downloads only the participant's words: a translation is this folder, not a hunt.
 * This file holds what every page and the server share: phase names, errors, common words.
 * Server errors come from here too, so the phone and the wire say the same thing.
 */

export const PHASE_NAMES: Record<Phase, string> = {
  lobby: 'Lobby',
  brainstorm: 'Brainstorm',
  review: 'Review',
  vote: 'Vote',
  reveal: 'Reveal',
  act: 'Act',
  closed: 'Closed',
};

export interface ErrorParams {
  phase?: Phase;
  max?: number;
  left?: number;
  cap?: number;
  what?: string;
}

const errors: Record<ErrorCode, (p: ErrorParams) => string> = {
  bad_request: (p) => `That request was not understood${p.what ? `: ${p.what}` : ''}.`,
  not_joined: () => 'Join a workshop first.',
  already_joined: () => 'This connection has already joined a workshop.',
  unknown_workshop: () => 'No workshop has that code. Check the code on the screen and try again.',
  unknown_partnership: () => 'No partnership has that link. Check the link and try again.',
  unauthorized: () => 'Send the facilitator key as "Authorization: Bearer <key>".',
  sign_in_required: () => 'Sign in with your work account to create workshops on this server.',
  forbidden: (p) => p.what ?? 'Only the facilitator can do that.',
  wrong_phase: (p) => `Not possible in the ${PHASE_NAMES[p.phase ?? 'lobby']} phase${p.what ? `: ${p.what}` : ''}.`,
  closed: () => 'This workshop has closed.',
  locked: () => 'The facilitator has locked the board.',
  not_found: (p) => `${p.what ?? 'That note'} is not on the board.`,
  not_owner: () => 'You can only change your own notes.',
  empty_text: () => 'Write something first.',
  too_long: (p) => `Keep it to ${p.max ?? NOTE_MAX} characters or fewer.`,
  invalid_text: () => 'That text contains characters that cannot be shown.',
  unknown_bone: () => 'That bone is not on this fishbone.',
  over_budget: (p) => `You have ${p.left ?? 0} dots left.`,
  over_cap: (p) => `At most ${p.cap ?? 3} dots on one note.`,
  negative: () => 'You have no dots on that note to take back.',
  merged: () => 'This note was merged by the facilitator and can no longer be edited.',
  invalid_merge: (p) => p.what ?? 'Those notes cannot be merged.',
  changed: (p) => `That step cannot be undone any more: ${p.what ?? 'the note has changed since'}.`,
  rate_limited: () => 'Slow down a little: too many actions at once.',
  limit_reached: (p) => `That is the limit${p.what ? `: ${p.what}` : ''}.`,
  too_few: (p) => p.what ?? 'Not yet: wait for a few more.',
  unavailable: () => 'The server could not save that just now; it will be sent again.',
  export_failed: (p) => `That file could not be made${p.what ? ` (${p.what})` : ''}. The CSV and JSON exports hold everything.`,
  internal: () => 'Something went wrong on the server; please try again.',
};

export const errorMessage = (code: ErrorCode, p: ErrorParams = {}): string => errors[code](p);

export const common = {
  appName: 'Fishbone Live',
  status: {
    connecting: 'Connecting…',
    connected: 'Connected',
    reconnecting: 'Reconnecting…',
    offline: 'Offline: your changes will be sent when you are back online',
    failed: 'Disconnected',
  },
  pendingCount: (n: number) => `${n} waiting to be sent`,
  notAccepted: 'Not accepted',
  dismiss: 'Dismiss',
  joinCode: 'Join code',
  people: (n: number) => (n === 1 ? '1 person connected' : `${n} people connected`),
  raisedBy: (n: number) => `raised by ${n} people`,
  timerDone: "Time's up",
  timerLabel: 'Time left',
  /** Read out after the digits of a paused timer. */
  timerPaused: ' (paused)',
  /** Why a page's connection was ended (it shows the words). */
  ended: {
    deleted: 'This workshop was deleted by its facilitator.',
    linkRevoked: 'This facilitator link was revoked.',
  },
  notFoundTitle: 'Page not found',
  notFoundBody: 'That address is not part of Fishbone Live.',
  backHome: 'Go to the start page',
  turnout: (voters: number, eligible: number) =>
    eligible === 1 ? `${voters} of 1 participant has voted` : `${voters} of ${eligible} participants have voted`,
  hiddenCount: (n: number) => (n === 1 ? '1 note so far' : `${n} notes so far`),
  /** "I've finished" (issue 13), a count only, on every page. */
  finishedCount: (done: number, of: number) => `${done} of ${of} finished`,
  finishedHeading: "Who's finished",
  controlTags: CONTROL_TAG_NAMES,
};
