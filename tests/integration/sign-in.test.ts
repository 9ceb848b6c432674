import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authSettingsFrom } from '../../server/auth/settings.ts';
import { PostgresStore } from '../../server/store/postgres.ts';
import { SqliteStore } from '../../server/store/sqlite.ts';
import type { Store } from '../../server/store/store.ts';
import { TestClient } from '../support/client.ts';
import { ADA, BOB, EVE, signIn, signInSettings, TestProvider, UNVERIFIED } from '../support/oidc-provider.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';
import { freePort } from '../support/process.ts';
import { removeDir, startServerOn, type TestServer } from '../support/server.ts';
import { wireText } from '../support/wire.ts';

/** Facilitators' accounts live beside the workshops: the same behaviour on either store. */
const STORES: Array<{ name: string; open(): Promise<{ store: Store; dataDir?: string }> }> = [
  {
    name: 'SQLite',
    open: async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'fishbone-signin-'));
      return { store: new SqliteStore(join(dataDir, 'fishbone.sqlite')), dataDir };
    },
  },
  {
    name: 'PostgreSQL',
    open: async () => {
      const db = await createTestDatabase();
      dbs.push(db);
      return { store: await PostgresStore.open(db.url) };
    },
  },
];

const dbs: TestDatabase[] = [];
afterAll(async () => {
  for (const db of dbs) await db.drop();
});

const HOUR = 3_600_000;

interface Call {
  session?: string;
  method?: string;
  body?: unknown;
  key?: string;
}

/** One organisation's server with sign-in on, its provider, and a clock the test can move on. */
function organisation(settings: Record<string, string>, open: () => Promise<{ store: Store; dataDir?: string }>) {
  const o = {
    server: null as unknown as TestServer<Store>,
    provider: null as unknown as TestProvider,
    skew: 0,
    dataDir: undefined as string | undefined,
    async call(path: string, c: Call = {}) {
      const headers: Record<string, string> = {};
      if (c.session) headers.cookie = `fishbone_session=${c.session}`;
      if (c.key) headers.authorization = `Bearer ${c.key}`;
      if (c.body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${o.server.url}${path}`, {
        method: c.method ?? 'GET',
        headers,
        body: c.body !== undefined ? JSON.stringify(c.body) : undefined,
      });
      return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> };
    },
  };
  beforeAll(async () => {
    const [appPort, providerPort] = [await freePort(), await freePort()];
    const issuer = `http://127.0.0.1:${providerPort}`;
    const auth = authSettingsFrom(signInSettings(issuer, settings))!;
    const { store, dataDir } = await open();
    o.dataDir = dataDir;
    o.server = await startServerOn(store, { now: () => Date.now() + o.skew, with: { auth, port: appPort } });
    o.provider = await TestProvider.start([`${o.server.url}/auth/callback`], { port: providerPort });
  });
  afterAll(async () => {
    await o.server?.stop();
    await o.provider?.close();
    if (o.dataDir) removeDir(o.dataDir);
  });
  return o;
}

describe.each(STORES)('facilitators sign in with their work account ($name)', ({ open }) => {
  const org = organisation({ OIDC_ALLOWED_DOMAINS: 'health.example', SIGN_IN_TO_CREATE: 'true', AUTH_SESSION_HOURS: '8' }, open);

  it('a facilitator signs in through the provider, and the workshop they create follows them to a second device', async () => {
    const laptop = await signIn(org.server.url, ADA.login);
    expect(laptop.session).toBeDefined();
    expect(laptop.landed.pathname + laptop.landed.search).toBe('/');
    const me = await org.call('/api/me', { session: laptop.session });
    expect(me.body).toMatchObject({ signIn: true, requiredToCreate: true, signedIn: { name: ADA.name, email: ADA.email } });

    const made = await org.call('/api/workshops', { session: laptop.session, method: 'POST', body: { title: 'Partnership away-day' } });
    expect(made.status).toBe(201);
    const code = made.body.code as string;

    // The venue laptop: its own sign-in, its own session, and the same list.
    const venue = await signIn(org.server.url, ADA.login);
    expect(venue.session).toBeDefined();
    expect(venue.session).not.toBe(laptop.session);
    const mine = await org.call('/api/me/workshops', { session: venue.session });
    expect(mine.body.workshops).toEqual([expect.objectContaining({ code, title: 'Partnership away-day', phase: 'lobby', closedAt: null })]);

    // It opens the facilitator view without the link: the server gives this device the owner key.
    const { body } = await org.call(`/api/me/workshops/${code}/key`, { session: venue.session, method: 'POST' });
    expect(body.key).toBe(made.body.facilitatorKey);
    const fac = await TestClient.facilitator(org.server.url, code, body.key as string);
    const link = await fac.do({ type: 'cofacilitator.create' });
    expect(link.link?.key).toMatch(/^[A-Za-z0-9_-]{32}$/);
    await TestClient.facilitator(org.server.url, code, link.link!.key).then((co) => co.close());
    fac.close();
  });

  it('creating, importing and duplicating need a signed-in facilitator here; joining as a participant never does', async () => {
    const refused = await org.call('/api/workshops', { method: 'POST', body: { title: 'Not signed in' } });
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ ok: false, code: 'sign_in_required', message: expect.stringContaining('Sign in') });

    const { session } = await signIn(org.server.url, ADA.login);
    const made = await org.call('/api/workshops', { session, method: 'POST', body: { title: 'Estates review' } });
    const { code, facilitatorKey: key } = made.body as { code: string; facilitatorKey: string };
    const exported = await org.call(`/api/workshops/${code}/export/workshop.json`, { key });
    expect(exported.status).toBe(200);

    expect((await org.call('/api/workshops/import', { method: 'POST', body: exported.body })).status).toBe(401);
    expect((await org.call(`/api/workshops/${code}/duplicate`, { method: 'POST', key })).status).toBe(401);
    const imported = await org.call('/api/workshops/import', { session, method: 'POST', body: exported.body });
    const copied = await org.call(`/api/workshops/${code}/duplicate`, { session, method: 'POST', key });
    expect([imported.status, copied.status]).toEqual([201, 201]);
    const listed = ((await org.call('/api/me/workshops', { session })).body.workshops as Array<{ code: string }>).map((w) => w.code);
    expect(listed).toEqual(expect.arrayContaining([code, imported.body.code, copied.body.code]));

    // A participant has no account and needs none.
    const phone = await TestClient.participant(org.server.url, code);
    expect(phone.joinReply?.role).toBe('participant');
    phone.close();
  });

  it('an account outside the allowed domains, or whose email the provider has not verified, is refused', async () => {
    for (const who of [EVE, UNVERIFIED]) {
      const attempt = await signIn(org.server.url, who.login);
      expect(attempt.session).toBeUndefined();
      expect(attempt.landed.search).toBe('?signin=refused');
    }
    const refused = await org.call('/api/workshops', { method: 'POST', body: { title: 'From outside' } });
    expect(refused.status).toBe(401);
  });

  it('a session ends when it runs out, and when its facilitator signs out', async () => {
    const { session } = await signIn(org.server.url, ADA.login);
    expect((await org.call('/api/me', { session })).body.signedIn).toBeDefined();
    org.skew += 8 * HOUR + 1000;
    expect((await org.call('/api/me', { session })).body.signedIn).toBeUndefined();
    expect((await org.call('/api/workshops', { session, method: 'POST', body: { title: 'Too late' } })).status).toBe(401);
    expect((await org.call('/api/me/workshops', { session })).status).toBe(401);

    const again = await signIn(org.server.url, ADA.login);
    expect((await org.call('/auth/logout', { session: again.session, method: 'POST' })).status).toBe(200);
    // The same cookie, replayed after signing out, is nobody's.
    expect((await org.call('/api/me', { session: again.session })).body.signedIn).toBeUndefined();
    expect((await org.call('/api/workshops', { session: again.session, method: 'POST', body: { title: 'Signed out' } })).status).toBe(401);
  });

  it("another facilitator's workshops stay theirs: not listed, no key", async () => {
    const ada = await signIn(org.server.url, ADA.login);
    const { code } = (await org.call('/api/workshops', { session: ada.session, method: 'POST', body: { title: "Ada's" } })).body as {
      code: string;
    };
    const bob = await signIn(org.server.url, BOB.login);
    const listed = (await org.call('/api/me/workshops', { session: bob.session })).body.workshops as Array<{ code: string }>;
    expect(listed.map((w) => w.code)).not.toContain(code);
    const asked = await org.call(`/api/me/workshops/${code}/key`, { session: bob.session, method: 'POST' });
    expect(asked).toMatchObject({ status: 404, body: { code: 'unknown_workshop' } });
  });

  it("nothing about a facilitator's account reaches a participant or the projector", async () => {
    const { session } = await signIn(org.server.url, ADA.login);
    const made = await org.call('/api/workshops', { session, method: 'POST', body: { title: 'Quarterly partnership review' } });
    const { code, facilitatorKey } = made.body as { code: string; facilitatorKey: string };
    const fac = await TestClient.facilitator(org.server.url, code, facilitatorKey);
    const screen = await TestClient.screen(org.server.url, code);
    const phones = [await TestClient.participant(org.server.url, code), await TestClient.participant(org.server.url, code)];
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    for (const [i, p] of phones.entries()) await p.do({ type: 'note.add', boneId: fac.board().meta.bones[i].id, text: `Barrier ${i}` });
    await fac.do({ type: 'notes.reveal' });
    await fac.do({ type: 'phase.set', phase: 'review' });
    for (const c of [screen, ...phones]) await c.sync();

    const pages = await Promise.all(
      [`/w/${code}`, `/api/workshops/${code}`, `/api/workshops/${code}/qr.svg`].map((p) =>
        fetch(`${org.server.url}${p}`).then((r) => r.text()),
      ),
    );
    const seen = [wireText(screen.received), ...phones.map((p) => wireText(p.received)), ...pages].join('\n');
    expect(seen).toContain('Barrier 1'); // the scan reads what was really sent
    for (const secret of [ADA.email, ADA.name, ADA.login, 'health.example', session!]) expect(seen).not.toContain(secret);
    for (const c of [fac, screen, ...phones]) c.close();
  });
});

describe('an organisation that lets members of a group sign in', () => {
  const org = organisation({ OIDC_ALLOWED_GROUPS: 'fishbone-facilitators', OIDC_SCOPES: 'openid email profile groups' }, STORES[0].open);

  it('signs in a member of the group and refuses everyone else, whatever their domain', async () => {
    expect((await signIn(org.server.url, ADA.login)).session).toBeDefined();
    expect((await signIn(org.server.url, EVE.login)).session).toBeDefined();
    const bob = await signIn(org.server.url, BOB.login);
    expect(bob.session).toBeUndefined();
    expect(bob.landed.search).toBe('?signin=refused');
  });

  it('without SIGN_IN_TO_CREATE, anyone may still create a workshop, and it is nobody’s', async () => {
    const made = await org.call('/api/workshops', { method: 'POST', body: { title: 'Open server' } });
    expect(made.status).toBe(201);
    const { session } = await signIn(org.server.url, ADA.login);
    const listed = (await org.call('/api/me/workshops', { session })).body.workshops as Array<{ code: string }>;
    expect(listed.map((w) => w.code)).not.toContain(made.body.code);
  });
});
