import { refusals } from '../../shared/messages/refusals.ts';
import type { NextFunction, Request, Response } from 'express';
import { findLink } from '../workshop/actor.ts';
import type { LimitKind } from '../guard/address-limits.ts';
import { tooMany, type Guard } from '../guard/guard.ts';
import { fail } from '../workshop/result.ts';
import type { Workshop } from '../workshop/workshop.ts';
import type { KeyRow } from '../store/store.ts';

export interface FacilitatorLocals {
  workshop: Workshop;
  key: KeyRow;
}

/**
 * Facilitator-only HTTP routes take the key as `Authorization: Bearer <key>` (never in the URL,
 * so it stays out of logs): 404 for an unknown code, 401 without a key, 403 with a wrong one.
 */
/** With `perKey`, each key also spends one of that allowance (exports: pictures cost CPU). */
export function requireFacilitator(guard: Guard, perKey?: LimitKind) {
  return async (req: Request, res: Response<unknown, FacilitatorLocals>, next: NextFunction) => {
    const w = await guard.requested(req, res);
    if (!w) return;
    const m = /^Bearer\s+(\S+)$/.exec(req.get('authorization') ?? '');
    if (!m) return void res.status(401).json(fail('unauthorized'));
    const key = findLink(w.private, m[1]);
    if (!key) return void res.status(403).json(fail('forbidden', { what: refusals.forbidden.wrongKey }));
    if (perKey) {
      const wait = await guard.take(perKey, `${w.id}/${key.id}`);
      if (wait > 0) return tooMany(res, wait);
    }
    res.locals.workshop = w;
    res.locals.key = key;
    next();
  };
}
