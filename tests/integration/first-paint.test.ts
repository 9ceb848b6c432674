import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApplication, type Application } from '../../server/app.ts';
import { SqliteStore } from '../../server/store/sqlite.ts';
import { TestClient } from '../support/client.ts';
import { createWorkshop, removeDir } from '../support/server.ts';

/**
 * The participant page's HTML carries a first paint of the board (server/http/participant-html.ts)
 * and the board as data: only what every participant may see, the same bytes for everyone.
 */
let dir: string;
let url: string;
let app: Application;
let http: ReturnType<typeof createServer>;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fishbone-first-paint-'));
  const clientDir = join(dir, 'client');
  mkdirSync(join(clientDir, 'assets'), { recursive: true });
  writeFileSync(
    join(clientDir, 'index.html'),
    '<!doctype html><html><head><title>Fishbone Live</title><link rel="stylesheet" crossorigin href="/assets/style-abcdefgh.css"></head><body><div id="app"></div></body></html>',
  );
  writeFileSync(join(clientDir, 'assets', 'style-abcdefgh.css'), 'body{}');
  http = createServer();
  app = createApplication(http, { store: new SqliteStore(join(dir, 'db.sqlite')), clientDir });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(async () => {
  http.closeAllConnections();
  await app.close();
  removeDir(dir);
});

const page = async (code: string) => (await fetch(`${url}/w/${code}`)).text();

describe('the participant page first paint', () => {
  it('shows the board before any script, holds no hidden note, author or ballot, and is the same for everyone', async () => {
    const w = await createWorkshop(url, { title: 'Silent <away> day', silent: true });
    const fac = await TestClient.facilitator(url, w.code, w.facilitatorKey);
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    const alice = await TestClient.participant(url, w.code);
    const bob = await TestClient.participant(url, w.code);
    await alice.do({ type: 'note.add', boneId: 'people', subBoneId: null, text: 'The consultant overrules us' });
    await bob.do({ type: 'note.add', boneId: 'processes', subBoneId: null, text: 'Nobody owns referrals' });

    let html = await page(w.code);
    expect(html).toContain('data-ssr');
    expect(html).toContain('<h1>Silent &#60;away&#62; day</h1>');
    expect(html).toContain('People');
    // Silent: hidden notes are nowhere in the page, not even as counts per bone.
    expect(html).not.toContain('The consultant overrules us');
    expect(html).not.toContain('Nobody owns referrals');
    expect(html).not.toContain(`class="ssr-count"`);
    for (const token of [alice.token!, bob.token!, w.facilitatorKey]) expect(html).not.toContain(token);

    // Revealed and voted on: the notes' text, never who wrote them or how anyone voted.
    await fac.do({ type: 'notes.reveal' });
    await fac.do({ type: 'phase.set', phase: 'vote' });
    const noteId = fac.board().notes.find((n) => n.text === 'Nobody owns referrals')!.id;
    await alice.do({ type: 'vote.change', noteId, delta: 1 });
    await fac.sync();
    html = await page(w.code);
    expect(html).toContain('The consultant overrules us');
    expect(html).toContain('Nobody owns referrals');
    for (const token of [alice.token!, bob.token!, w.facilitatorKey]) expect(html).not.toContain(token);
    expect(html).not.toMatch(/ballot|author|"self"/i);
    // Same bytes whoever asks (no cookies or per-person state exist; headers change nothing).
    const again = await (await fetch(`${url}/w/${w.code}`, { headers: { cookie: 'fishbone=1', 'user-agent': 'other phone' } })).text();
    expect(again).toBe(html);

    for (const c of [fac, alice, bob]) c.close();
  });

  it('keeps the stylesheet from blocking the first paint, and the script policy strict', async () => {
    const w = await createWorkshop(url, { title: 'Styles' });
    const res = await fetch(`${url}/w/${w.code}`);
    const html = await res.text();
    expect(html).toMatch(/<link rel="stylesheet"[^>]*media="print" data-late-css>/);
    expect(html).toMatch(/<style>[^<]*\.ssr-card/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('content-security-policy')).not.toMatch(/script-src[^;]*unsafe-inline/);
    // Hashed assets are kept for good; the page itself is always asked for again.
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect((await fetch(`${url}/assets/style-abcdefgh.css`)).headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    // An unknown code gets the plain page: no board, no first paint.
    const unknown = await page('ZZZZZZ');
    expect(unknown).not.toContain('data-ssr');
    expect(unknown).not.toContain('initial-state');
  });
});
