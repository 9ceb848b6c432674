import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { participantId } from '../../server/workshop/keys.ts';
import { TestClient } from '../support/client.ts';
import { ADA, signIn, signInSettings, TestProvider } from '../support/oidc-provider.ts';
import { freePort, ServerProcess } from '../support/process.ts';
import { newToken } from '../support/server.ts';

const METRICS_TOKEN = 'scrape-token-of-the-operations-team';
const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);

/** Where each person is, as the venue's proxy says (X-Forwarded-For, believed from loopback). */
const FACILITATOR_AT = '198.51.100.23';
const SCREEN_AT = '192.0.2.77';
const PHONES_AT = ['203.0.113.57', '203.0.113.58', '2001:db8:85a3:8d3:1319:8a2e:370:7334', '203.0.113.201'];

describe("the server's log over a whole workshop", () => {
  let server: ServerProcess;
  let provider: TestProvider;
  /** Everything that must never be in a line. */
  const secrets: string[] = [...PHONES_AT, FACILITATOR_AT, SCREEN_AT, ADA.email, ADA.name, ADA.login, METRICS_TOKEN];
  let code = '';
  let tokens: string[] = [];

  beforeAll(async () => {
    const [appPort, providerPort] = [await freePort(), await freePort()];
    const issuer = `http://127.0.0.1:${providerPort}`;
    server = new ServerProcess(appPort, {
      ...signInSettings(issuer, { OIDC_ALLOWED_DOMAINS: 'health.example', SIGN_IN_TO_CREATE: 'true' }),
      LOG_LEVEL: 'trace',
      METRICS_TOKEN,
    });
    provider = await TestProvider.start([`${server.url}/auth/callback`], { port: providerPort });
    await server.start();
    secrets.push(signInSettings(issuer).AUTH_SECRET, signInSettings(issuer).OIDC_CLIENT_SECRET);
  }, 30_000);
  afterAll(async () => {
    await server?.stop();
    server?.cleanup();
    await provider?.close();
  });

  it(
    'is a JSON line per entry with level, time and request id, and holds no key, token, participant id, note, account or full address',
    { timeout: 60_000 },
    async () => {
      const url = server.url;
      const call = (path: string, init: RequestInit & { from: string }) =>
        fetch(`${url}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), 'x-forwarded-for': init.from } });

      // The facilitator signs in and creates the workshop.
      const { session } = await signIn(url, ADA.login, { from: FACILITATOR_AT });
      secrets.push(session!);
      const cookie = `fishbone_session=${session}`;
      const made = await call('/api/workshops', {
        from: FACILITATOR_AT,
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Ward 7 discharge delays', silent: true }),
      });
      const w = (await made.json()) as { code: string; facilitatorKey: string };
      code = w.code;
      secrets.push(w.facilitatorKey, 'Ward 7 discharge delays');

      // The room: a facilitator, a co-facilitator, the projector and four phones.
      const fac = new TestClient(url, { as: 'facilitator', code, key: w.facilitatorKey }, FACILITATOR_AT);
      await fac.join();
      const co = (await fac.do({ type: 'cofacilitator.create' })).link!;
      secrets.push(co.key);
      const screen = new TestClient(url, { as: 'screen', code }, SCREEN_AT);
      await screen.join();
      const phones = PHONES_AT.map((at) => new TestClient(url, { as: 'participant', code, token: newToken() }, at));
      for (const p of phones) await p.join();
      tokens = phones.map((p) => p.token!);
      secrets.push(...tokens);
      expect((await fac.send({ type: 'settings.set', groups: ['Housing', 'Health'] })).ok).toBe(true);
      for (const p of phones) await p.do({ type: 'profile.set', group: 'Housing' });

      // Brainstorm, in silence: every note's words are a secret of its author's.
      await fac.do({ type: 'phase.set', phase: 'brainstorm' });
      const bones = fac.board().meta.bones;
      const notes: string[] = [];
      const noteIds: string[] = [];
      for (const [i, p] of phones.entries())
        for (let k = 0; k < 2; k++) {
          const text = `Barrier ${i}-${k}: the consultant overrules the ward sister`;
          notes.push(text);
          secrets.push(text);
          noteIds.push((await p.do({ type: 'note.add', boneId: bones[k].id, text })).noteId!);
        }
      secrets.push('Edited words nobody may log');
      await phones[0].do({ type: 'note.edit', noteId: noteIds[0], text: 'Edited words nobody may log' });
      await phones[1].send({ type: 'phase.set', phase: 'vote' }); // refused: not theirs
      await fac.do({ type: 'notes.reveal' });
      await fac.do({ type: 'phase.set', phase: 'review' });
      await fac.do({ type: 'phase.set', phase: 'vote' });
      await screen.sync();
      const ids = fac.board().notes.map((n) => n.id);
      for (const p of phones) for (const id of ids.slice(0, 3)) await p.send({ type: 'vote.change', noteId: id, delta: 1 });
      await phones[2].send({ type: 'vote.change', noteId: ids[0], delta: 9 }); // over the cap: refused
      await fac.do({ type: 'phase.set', phase: 'reveal' });
      await fac.do({ type: 'phase.set', phase: 'act' });
      secrets.push('Agree a shared discharge checklist');
      await fac.do({ type: 'action.add', noteId: ids[0], what: 'Agree a shared discharge checklist', who: 'Estates', when: 'May' });

      // Exports with the key, a wrong key, an unknown code, a malformed command, a forged join.
      const bearer = { authorization: `Bearer ${w.facilitatorKey}` };
      for (const f of ['workshop.json', 'ranking.csv', 'fishbone.png'])
        expect((await call(`/api/workshops/${code}/export/${f}`, { from: FACILITATOR_AT, headers: bearer })).status).toBe(200);
      expect(
        (
          await call(`/api/workshops/${code}/export/workshop.json`, {
            from: PHONES_AT[3],
            headers: { authorization: `Bearer ${tokens[3]}` },
          })
        ).status,
      ).toBe(403);
      expect((await call('/api/workshops/ZZZZZZ', { from: PHONES_AT[3] })).status).toBe(404);
      expect((await phones[3].send({ type: 'note.add', boneId: '', text: tokens[3] } as never)).ok).toBe(false);
      const forged = new TestClient(url, { as: 'facilitator', code, key: tokens[3] }, PHONES_AT[3]);
      await expect(forged.join()).rejects.toThrow(/forbidden/);
      forged.close();
      expect((await call('/metrics', { from: FACILITATOR_AT, headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(200);

      await fac.do({ type: 'phase.set', phase: 'closed' });
      await call('/auth/logout', { from: FACILITATOR_AT, method: 'POST', headers: { cookie } });
      for (const c of [fac, screen, ...phones]) c.close();
      const wid = new Database(join(server.dataDir, 'fishbone.sqlite'), { readonly: true })
        .prepare('SELECT id FROM workshops WHERE code = ?')
        .pluck()
        .get(code) as string;
      secrets.push(...tokens.map((t) => participantId(wid, t)));
      await server.stop('SIGTERM');

      const lines = server.lines.filter((l) => l.trim());
      const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      for (const e of entries) {
        expect(LEVELS.has(e.level as string), JSON.stringify(e)).toBe(true);
        expect(new Date(e.time as string).toISOString()).toBe(e.time);
        if (e.req) expect(e.reqId, JSON.stringify(e)).toMatch(/^[0-9a-f-]{36}$/);
      }
      for (const line of [...lines, ...server.errorLines])
        for (const s of secrets) expect(line, `a log line holds "${s}"`).not.toContain(s);

      // The scan read a real log: every request, join and command is in it, addresses truncated.
      const said = (msg: string, fields: Record<string, unknown> = {}) =>
        entries.filter((e) => e.msg === msg && Object.entries(fields).every(([k, v]) => e[k] === v)).length;
      expect(said('command', { type: 'note.add', outcome: 'ok' })).toBe(notes.length);
      expect(said('join', { role: 'participant', outcome: 'ok' })).toBe(phones.length);
      expect(said('sign-in', { outcome: 'ok' })).toBe(1);
      const addrs = new Set(entries.map((e) => e.addr).filter(Boolean));
      // (127.0.0.0/24: the test itself, asking whether the server is up.)
      expect(addrs).toEqual(new Set(['198.51.100.0/24', '203.0.113.0/24', '2001:db8:85a3::/48', '192.0.2.0/24', '127.0.0.0/24']));
    },
  );
});
