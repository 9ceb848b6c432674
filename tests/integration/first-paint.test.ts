import { brotliCompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FIRST_PAINT_SCRIPT, FIRST_PAINT_SCRIPT_HASH } from '../../server/http/first-paint-script.ts';
import { TestClient } from '../support/client.ts';
import { createWorkshop } from '../support/server.ts';
import { RELEASE_TIMING } from '../../server/workshop/disclosure.ts';
import { useTestServerWithClient } from '../support/use-server.ts';

/**
 * The participant page's HTML carries a first paint of the board (server/http/participant-html.ts)
 * and the board as data: only what every participant may see, the same bytes for everyone.
 */
const server = useTestServerWithClient(
  {
    'index.html':
      '<!doctype html><html><head><title>Fishbone Live</title><link rel="stylesheet" crossorigin href="/assets/style-abcdefgh.css"></head><body><div id="app"></div></body></html>',
    'assets/style-abcdefgh.css': 'body{}',
    'assets/style-abcdefgh.css.br': brotliCompressSync('body{}'),
  },
  { realLimits: true, registry: { releaseTiming: RELEASE_TIMING } },
);

const page = async (code: string) => (await fetch(`${server.url}/w/${code}`)).text();

describe('the participant page first paint', () => {
  it('shows the board before any script, holds no hidden note, author or ballot, and is the same for everyone', async () => {
    const w = await createWorkshop(server.url, { title: 'Silent <away> day', silent: true });
    const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    const alice = await TestClient.participant(server.url, w.code);
    const bob = await TestClient.participant(server.url, w.code);
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
    const again = await (
      await fetch(`${server.url}/w/${w.code}`, { headers: { cookie: 'fishbone=1', 'user-agent': 'other phone' } })
    ).text();
    expect(again).toBe(html);

    for (const c of [fac, alice, bob]) c.close();
  });

  it('keeps the stylesheet from blocking the first paint, and the script policy strict', async () => {
    const w = await createWorkshop(server.url, { title: 'Styles' });
    const res = await fetch(`${server.url}/w/${w.code}`);
    const html = await res.text();
    expect(html).toMatch(/<link rel="stylesheet"[^>]*media="print" data-late-css>/);
    expect(html).toMatch(/<style>[^<]*\.ssr-card/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('content-security-policy')).not.toMatch(/script-src[^;]*unsafe-inline/);
    // Hashed assets are kept for good; the page itself is always asked for again.
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect((await fetch(`${server.url}/assets/style-abcdefgh.css`)).headers.get('cache-control')).toBe(
      'public, max-age=31536000, immutable',
    );
    // Sent as the build compressed it, to a browser that takes brotli; kept for good all the same.
    const br = await fetch(`${server.url}/assets/style-abcdefgh.css`, { headers: { 'accept-encoding': 'gzip, br' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('content-type')).toMatch(/^text\/css/);
    expect(br.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await br.text()).toBe('body{}');
    // An unknown code gets the plain page: no board, no first paint.
    const unknown = await page('ZZZZZZ');
    expect(unknown).not.toContain('data-ssr');
    expect(unknown).not.toContain('initial-state');
  });

  it('offers what the phase allows before any of the page’s code: note forms in the brainstorm, dot buttons while voting', async () => {
    const w = await createWorkshop(server.url, { title: 'Forms', silent: false });
    const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    const alice = await TestClient.participant(server.url, w.code);
    await alice.do({ type: 'note.add', boneId: 'people', subBoneId: null, text: 'Rotas change weekly' });
    await fac.sync();
    const forms = (html: string) => [...html.matchAll(/<form data-bone="([^"]+)">/g)].map((m) => m[1]);
    const dots = (html: string) => [...html.matchAll(/data-note="([^"]+)"/g)].map((m) => m[1]);

    let html = await page(w.code);
    expect(forms(html)).toEqual(fac.board().meta.bones.map((b) => b.id));
    expect(dots(html)).toEqual([]);
    // The one inline script is the first paint's: the policy names it by hash.
    const csp = (await fetch(`${server.url}/w/${w.code}`)).headers.get('content-security-policy')!;
    expect(csp).toContain(FIRST_PAINT_SCRIPT_HASH);
    expect(html).toContain(`<script>${FIRST_PAINT_SCRIPT}</script>`);

    await fac.do({ type: 'board.lock', locked: true });
    expect(forms(await page(w.code))).toEqual([]);

    await fac.do({ type: 'phase.set', phase: 'vote' });
    html = await page(w.code);
    expect(forms(html)).toEqual([]);
    expect(dots(html)).toEqual(fac.board().notes.map((n) => n.id));
    await fac.do({ type: 'vote.close', closed: true });
    expect(dots(await page(w.code))).toEqual([]);

    for (const c of [fac, alice]) c.close();
  });

  it('draws notes and titles holding every `$` replacement pattern as they are, on a page that stays whole', async () => {
    // String.replace reads these in a replacement string; a note must never be read as one.
    const patterns = ["cut by $' again", 'costs $& more', 'before $` after', 'fees $$ up', 'group $1 and $<name>', 'ends in $'];
    const w = await createWorkshop(server.url, { title: "Budget $' and $& day", silent: false });
    const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    const p = await TestClient.participant(server.url, w.code);
    for (const text of patterns) await p.do({ type: 'note.add', boneId: 'people', subBoneId: null, text });
    await fac.sync();

    for (const res of [
      await fetch(`${server.url}/w/${w.code}`),
      await fetch(`${server.url}/w/${w.code}`, { headers: { 'accept-encoding': 'identity' } }),
    ]) {
      const html = await res.text();
      expect(html.match(/<head>/g)).toHaveLength(1);
      expect(html.match(/<\/head>/g)).toHaveLength(1);
      expect(html.match(/id="app"/g)).toHaveLength(1);
      expect(html.match(/id="initial-state"/g)).toHaveLength(1);
      const esc = (t: string) => t.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
      expect(html).toContain(`<h1>${esc("Budget $' and $& day")}</h1>`);
      for (const text of patterns) expect(html).toContain(`<li>${esc(text)}</li>`);
      // The embedded state is whole JSON and holds every note exactly.
      const json = /<script type="application\/json" id="initial-state">([^<]*)<\/script>/.exec(html)![1];
      const state = JSON.parse(json) as { board: { notes: Array<{ text: string }>; meta: { title: string } } };
      expect(state.board.notes.map((n) => n.text).sort()).toEqual([...patterns].sort());
      expect(state.board.meta.title).toBe("Budget $' and $& day");
      expect(html.trimEnd().endsWith('</html>')).toBe(true);
    }
    for (const c of [fac, p]) c.close();
  });

  it('draws a page once per board state and sends it compressed to every phone that asks', async () => {
    const w = await createWorkshop(server.url, { title: 'Many phones', silent: false });
    const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    const p = await TestClient.participant(server.url, w.code);
    await p.do({ type: 'note.add', boneId: 'people', subBoneId: null, text: 'First note' });
    const gz = await fetch(`${server.url}/w/${w.code}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gz.headers.get('vary')).toMatch(/accept-encoding/i);
    const first = await gz.text();
    expect(first).toContain('First note');
    expect(await page(w.code)).toBe(first);
    // A change is on the next page.
    await p.do({ type: 'note.add', boneId: 'people', subBoneId: null, text: 'Second note' });
    expect(await page(w.code)).toContain('Second note');
    for (const c of [fac, p]) c.close();
  });
});
