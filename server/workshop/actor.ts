import type { KeyRow } from '../store/store.ts';
import { participantId, sameHash, sha256 } from './keys.ts';
import type { PrivateState } from './private-state.ts';

/**
 * Who sent a command. `key` is what their command ids, ballots and private view are filed
 * under: a participant's id (a hash of their browser's token), or `f:<linkId>` for a facilitator
 * link, so the two can never collide. Only this file builds or reads that prefix.
 */
export type Actor =
  { role: 'participant'; key: string } | { role: 'facilitator'; key: string; linkId: string } | { role: 'screen'; key: '' };

const FACILITATOR_PREFIX = 'f:';

export const participant = (workshopId: string, token: string): Actor => ({ role: 'participant', key: participantId(workshopId, token) });

export const facilitator = (linkId: string): Actor => ({ role: 'facilitator', key: facilitatorKey(linkId), linkId });

export const SCREEN: Actor = { role: 'screen', key: '' };

/** The key a facilitator link's ballots and private view are filed under. */
export const facilitatorKey = (linkId: string): string => FACILITATOR_PREFIX + linkId;

export const isFacilitatorKey = (key: string): boolean => key.startsWith(FACILITATOR_PREFIX);

/** The facilitator link behind a key, or null for a participant's key. */
export const linkIdOf = (key: string): string | null => (isFacilitatorKey(key) ? key.slice(FACILITATOR_PREFIX.length) : null);

/** The one check of a presented facilitator key: a link of this workshop that still works. */
export function findLink(state: PrivateState, presented: string): KeyRow | null {
  const hash = sha256(presented);
  for (const k of state.keys.values()) if (!k.revoked && sameHash(k.keyHash, hash)) return k;
  return null;
}

export const isOwner = (state: PrivateState, actor: Actor): boolean =>
  actor.role === 'facilitator' && state.keys.get(actor.linkId)?.kind === 'owner';
