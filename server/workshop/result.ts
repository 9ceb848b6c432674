import type { ErrorCode, Failure, Result } from '../../shared/errors.ts';
import { errorMessage, type ErrorParams } from '../../shared/messages/core.ts';

export const fail = (code: ErrorCode, params: ErrorParams = {}): Failure => ({ ok: false, code, message: errorMessage(code, params) });

export const ok = <T extends object>(data: T = {} as T): Result<T> => ({ ok: true, ...data });
