import type { RequestHandler, Response } from 'express';
import type { Failure } from '../../shared/errors.ts';
import type { Created, OwnerKeyMaker } from '../workshop/create.ts';

/** Makes a new workshop (or refuses, as an import may); given an owner key maker, its owner key is that, else a random one. */
export type MakeWorkshop<R extends Created | Failure> = (ownerKey?: OwnerKeyMaker) => Promise<R>;

/**
 * Who may create workshops here, and whose they become: the one hook the workshop routes
 * (creating, importing, duplicating) ask. Without sign-in, anyone may and nobody's they are.
 */
export interface Creators {
  /** Before the work: refuses with 401 `sign_in_required` where this server asks for a signed-in facilitator. */
  gate: RequestHandler;
  /** Make the workshop as the request's facilitator's: with their account's owner key, and in their list. */
  save<R extends Created | Failure>(res: Response, make: MakeWorkshop<R>): Promise<R>;
}

export const ANYONE_CREATES: Creators = {
  gate: (_req, _res, next) => next(),
  save: (_res, make) => make(),
};
