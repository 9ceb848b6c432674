/** Every error code a command, a join or an HTTP call can answer with. */
export const ERROR_CODES = [
  'bad_request',
  'not_joined',
  'already_joined',
  'unknown_workshop',
  /** A partnership id this server does not have (issue 26). */
  'unknown_partnership',
  'unauthorized',
  /** This server lets only signed-in facilitators create workshops (server/auth/). */
  'sign_in_required',
  'forbidden',
  'wrong_phase',
  'closed',
  'locked',
  'not_found',
  'not_owner',
  'empty_text',
  'too_long',
  'invalid_text',
  'unknown_bone',
  'over_budget',
  'over_cap',
  'negative',
  'merged',
  'invalid_merge',
  /** An undo of a step whose note has changed since: undoing would overwrite the later change. */
  'changed',
  'rate_limited',
  /** A cap a real workshop never meets (shared/limits.ts). */
  'limit_reached',
  /** Not yet: too few for anonymity (e.g. a batch of proposals smaller than 3). */
  'too_few',
  /** Not saved just now, and maybe not at all: keep the command and send it again, same id. */
  'unavailable',
  /** An export that could not be made within the render worker's time or memory. */
  'export_failed',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface Failure {
  ok: false;
  code: ErrorCode;
  message: string;
}
export type Success<T> = { ok: true } & T;
export type Result<T = object> = Success<T> | Failure;
