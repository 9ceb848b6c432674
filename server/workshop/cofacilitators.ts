import { common } from '../../shared/messages/core.ts';
import { refusals } from '../../shared/messages/refusals.ts';
import type { CommandOf } from '../../shared/commands.ts';
import { LINKS_PER_WORKSHOP } from '../../shared/limits.ts';
import type { Result } from '../../shared/errors.ts';
import type { CommandReply } from '../../shared/events.ts';
import { newId, newKey, sha256 } from './keys.ts';
import { fail, ok } from './result.ts';
import { facilitatorKey, isOwner, type Actor } from './actor.ts';
import type { Workshop } from './workshop.ts';

/** A second facilitator link; only the workshop's owner link can make or revoke one. */
export function createCoFacilitator(w: Workshop, actor: Actor, _cmd: CommandOf<'cofacilitator.create'>, now: number): Result<CommandReply> {
  if (!isOwner(w.private, actor)) return fail('forbidden', { what: refusals.forbidden.ownerAddsLinks });
  if (w.phase === 'closed') return fail('closed');
  if ([...w.private.keys.values()].filter((k) => k.kind === 'co').length >= LINKS_PER_WORKSHOP) {
    return fail('limit_reached', { what: refusals.limitReached.links(LINKS_PER_WORKSHOP) });
  }
  const key = newKey();
  const id = newId();
  w.record({ t: 'key.add', row: { id, keyHash: sha256(key), kind: 'co', createdAt: now, revoked: false } });
  return ok({ link: { id, key } });
}

export function revokeCoFacilitator(w: Workshop, actor: Actor, cmd: CommandOf<'cofacilitator.revoke'>): Result<CommandReply> {
  if (!isOwner(w.private, actor)) return fail('forbidden', { what: refusals.forbidden.ownerRevokesLinks });
  const k = w.private.keys.get(cmd.linkId);
  if (!k || k.kind !== 'co' || k.revoked) return fail('not_found', { what: refusals.notFound.link });
  w.record({ t: 'key.revoke', id: cmd.linkId });
  w.end(facilitatorKey(cmd.linkId), common.ended.linkRevoked);
  return ok();
}
