/** A key as the store keeps it (hashed): a workshop's facilitators' and a partnership's. */
export interface KeyRow {
  id: string;
  keyHash: string;
  kind: 'owner' | 'co';
  createdAt: number;
  revoked: boolean;
}
