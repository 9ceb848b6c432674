import { PostgresStore } from '../store/postgres.ts';
import { SqliteStore } from '../store/sqlite.ts';
import type { Store } from '../store/store.ts';
import type { AccountStore } from './account-store.ts';
import { PostgresAccounts } from './postgres-accounts.ts';
import { SqliteAccounts } from './sqlite-accounts.ts';

/** The account tables of the store the server runs on. */
export function accountStoreFor(store: Store): AccountStore {
  if (store instanceof SqliteStore) return new SqliteAccounts(store.db);
  if (store instanceof PostgresStore) return new PostgresAccounts(store.pool);
  throw new Error('sign-in needs the SQLite or the PostgreSQL store');
}
