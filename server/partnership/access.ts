import type { NextFunction, Request, Response } from 'express';
import { seriesRefusals } from '../../shared/messages/partnership.ts';
import { isSafeId } from '../../shared/safe-keys.ts';
import type { LimitKind } from '../guard/address-limits.ts';
import { tooMany, type Guard } from '../guard/guard.ts';
import type { LoadedPartnership, PartnershipStore } from '../store/partnerships.ts';
import type { KeyRow } from '../store/store.ts';
import { sameHash, sha256 } from '../workshop/keys.ts';
import { fail } from '../workshop/result.ts';

export interface PartnershipLocals {
  partnership: LoadedPartnership;
  key: KeyRow;
}

/** The one check of a presented partnership key: one of its links that still works. */
export function findPartnershipKey(p: LoadedPartnership, presented: string): KeyRow | null {
  const hash = sha256(presented);
  for (const k of p.keys) if (!k.revoked && sameHash(k.keyHash, hash)) return k;
  return null;
}

/**
 * The partnership a request names and the key it presents, as `Authorization: Bearer <key>`
 * (never in the URL, so it stays out of logs): 404 for an unknown id (which costs the address a
 * lookup, as an unknown join code does), 401 without a key, 403 with a wrong one.
 *
 * Sign-in (issue 27) joins here and nowhere else: a signed-in facilitator whose account is the
 * partnership's `accountId` is let in as its owner, without a key. Until then the key is the
 * only way in, and it is as strong as a workshop's facilitator key (192 random bits, only its
 * hash kept).
 */
export function requirePartnership(store: PartnershipStore, guard: Guard, perKey?: LimitKind) {
  return async (req: Request, res: Response<unknown, PartnershipLocals>, next: NextFunction) => {
    const addr = guard.addressOf(req);
    const wait = guard.limits.waitFor('unknownCode', addr);
    if (wait > 0) return tooMany(res, wait);
    const id = String(req.params.id ?? '');
    const p = isSafeId(id) ? await store.load(id) : null;
    if (!p) {
      guard.limits.take('unknownCode', addr);
      return void res.status(404).json(fail('unknown_partnership'));
    }
    const m = /^Bearer\s+(\S+)$/.exec(req.get('authorization') ?? '');
    if (!m) return void res.status(401).json(fail('unauthorized'));
    const key = findPartnershipKey(p, m[1]);
    if (!key) return void res.status(403).json(fail('forbidden', { what: seriesRefusals.wrongKey }));
    if (perKey) {
      const later = guard.limits.take(perKey, `p:${p.row.id}/${key.id}`);
      if (later > 0) return tooMany(res, later);
    }
    res.locals.partnership = p;
    res.locals.key = key;
    next();
  };
}
