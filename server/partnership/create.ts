import type { PartnershipEntry, PartnershipStore } from '../store/partnerships.ts';
import type { KeyRow } from '../store/store.ts';
import { newId, newKey, sha256 } from '../workshop/keys.ts';

export interface CreatedPartnership {
  id: string;
  key: string;
}

/** A new partnership and its owner key (shown once; only its hash is kept); an import brings its history. */
export async function createPartnership(
  store: PartnershipStore,
  title: string,
  now: number,
  entries: PartnershipEntry[] = [],
): Promise<CreatedPartnership> {
  const id = newId(12);
  const key = newKey();
  const owner: KeyRow = { id: newId(), keyHash: sha256(key), kind: 'owner', createdAt: now, revoked: false };
  await store.create({ id, title, createdAt: now, accountId: null }, owner, entries);
  return { id, key };
}
