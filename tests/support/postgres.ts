import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Real PostgreSQL for tests: each test gets its own database, owned by a role that is not a
 * superuser (as in production), and dropped afterwards. TEST_PG_ADMIN_URL names a superuser
 * connection (default: postgres on 127.0.0.1:5432, trust auth, as on the project's machines).
 */
export const ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** The application's role: owns its database, creates its own tables, nothing more. */
export const APP_ROLE = 'fishbone_app';

async function admin<T>(fn: (c: pg.Client) => Promise<T>, url = ADMIN_URL): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export interface TestDatabase {
  name: string;
  /** The application's connection string (its own role). */
  url: string;
  /** A superuser connection to this database, for looking inside. */
  adminUrl: string;
  drop(): Promise<void>;
}

/** A fresh, empty database owned by the application role (on the shared server, or another); the server creates its tables. */
export async function createTestDatabase(serverAdminUrl = ADMIN_URL): Promise<TestDatabase> {
  const name = `fishbone_test_${randomBytes(5).toString('hex')}`;
  await admin(async (c) => {
    // Two test files may make the role at once: the second one's error is harmless.
    await c.query(`CREATE ROLE ${APP_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE`).catch((err: { code?: string }) => {
      if (err.code !== '42710' && err.code !== '23505') throw err;
    });
    await c.query(`CREATE DATABASE ${name} OWNER ${APP_ROLE} TEMPLATE template0`);
  }, serverAdminUrl);
  const server = new URL(serverAdminUrl);
  const url = `postgres://${APP_ROLE}@${server.host}/${name}`;
  const adminUrl = `postgres://${server.username}@${server.host}/${name}`;
  return {
    name,
    url,
    adminUrl,
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`), serverAdminUrl).then(() => undefined),
  };
}

/** Run one query against a test database as the superuser. */
export function query<R extends pg.QueryResultRow>(db: TestDatabase, text: string, values: unknown[] = []): Promise<R[]> {
  return admin((c) => c.query<R>(text, values).then((r) => r.rows), db.adminUrl);
}
