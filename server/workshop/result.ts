import type { ErrorCode, Failure, Result } from '../../shared/errors.ts';
import { errorMessage, type ErrorParams } from '../../shared/messages/core.ts';

export const fail = (code: ErrorCode, params: ErrorParams = {}): Failure => ({ ok: false, code, message: errorMessage(code, params) });

/** A zod refusal as `bad_request`, naming the first field that is wrong. */
export const invalid = (e: { issues: Array<{ path: PropertyKey[]; message: string }> }): Failure => {
  const i = e.issues[0];
  return fail('bad_request', { what: i ? `${i.path.map(String).join('.') || 'body'}: ${i.message}` : 'invalid' });
};

export const ok = <T extends object>(data: T = {} as T): Result<T> => ({ ok: true, ...data });
