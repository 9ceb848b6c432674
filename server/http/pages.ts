import { Router } from 'express';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isLimited, tooMany, type Guard } from '../guard/guard.ts';
import { FIRST_PAINT_CSS } from './participant-html.ts';
import { ParticipantPages, spliceHead } from './participant-page.ts';

interface ManifestChunk {
  file: string;
  name?: string;
  imports?: string[];
  css?: string[];
}

/** Every file a chunk needs, following its static imports. */
function closure(manifest: Record<string, ManifestChunk>, key: string, seen = new Set<string>()): { js: string[]; css: string[] } {
  const out = { js: [] as string[], css: [] as string[] };
  const walk = (k: string) => {
    if (seen.has(k) || !manifest[k]) return;
    seen.add(k);
    out.js.push(manifest[k].file);
    out.css.push(...(manifest[k].css ?? []));
    manifest[k].imports?.forEach(walk);
  };
  walk(key);
  return out;
}

/**
 * The client's pages. The participant page is the one that must load fast on a phone over poor
 * Wi-Fi (docs/ARCHITECTURE.md, "The phone's first load"):
 * - its HTML is readable before any script or stylesheet arrives: the server draws the board in
 *   it (participant-html.ts) with a little inline style, and the full stylesheet no longer
 *   blocks that first paint (main.ts applies it before the script draws the live page);
 * - it names every chunk the page needs (modulepreload: one round trip instead of three), then,
 *   at low priority, the Yjs and socket.io chunk, which the page loads after it has drawn;
 * - it carries the workshop's current shared document and the same as a plain board, so the
 *   live page draws at once and the socket then sends only what changed since.
 * Everything in it is public state every participant receives, the same bytes for everyone in
 * the workshop. JSON in a non-executable script element and inline styles are allowed by the
 * Content Security Policy; the one inline script is the first paint's (first-paint-script.ts),
 * allowed by its hash.
 */
export function pageRoutes(clientDir: string, guard: Guard): Router {
  const r = Router();
  const template = readFileSync(join(clientDir, 'index.html'), 'utf8');
  const manifestFile = join(clientDir, '.vite', 'manifest.json');
  const manifest = existsSync(manifestFile) ? (JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, ManifestChunk>) : {};
  const entry = manifest['index.html']?.file;
  const participant = closure(manifest, 'src/pages/Participant.svelte', new Set(entry ? ['index.html'] : []));
  const sync = Object.values(manifest).find((c) => c.name === 'sync')?.file;
  const preload = [
    ...participant.js.filter((f) => !template.includes(`/${f}"`)).map((f) => `<link rel="modulepreload" crossorigin href="/${f}">`),
    ...participant.css.map((f) => `<link rel="stylesheet" crossorigin href="/${f}">`),
    ...(sync ? [`<link rel="modulepreload" crossorigin fetchpriority="low" href="/${sync}">`] : []),
  ].join('');
  // The stylesheet is for the live page; the first paint has its own few rules, inline.
  const participantHead = spliceHead(
    template.replace(
      /<link rel="stylesheet"([^>]*)>/,
      (_m, attrs: string) => `<link rel="stylesheet"${attrs} media="print" data-late-css>`,
    ),
    `${preload}<style>${FIRST_PAINT_CSS}</style>`,
  );
  const pages = new ParticipantPages(participantHead);

  r.get('/w/:code', async (req, res) => {
    const address = guard.addressOf(req);
    // A page of a big board is megabytes: one address loads it as often as a venue's phones do.
    const wait = await guard.take('page', address);
    if (wait > 0) return tooMany(res, wait);
    // A guesser gets the plain page, never a board: the page itself says the code is unknown.
    const found = await guard.find(address, req.params.code);
    const w = isLimited(found) ? null : found;
    res.set('cache-control', 'no-cache');
    if (!w || w.doc.getMap('meta').size === 0) return void res.type('html').send(template);
    const page = pages.get(w.doc, w.row.code);
    res.vary('accept-encoding').type('html');
    if (req.acceptsEncodings('gzip', 'identity') === 'gzip') res.set('content-encoding', 'gzip').send(page.gzip);
    else res.send(page.html);
  });

  // Every other page route is the plain single-page client; it reads the path itself.
  r.get('/{*page}', (_req, res) => {
    res.set('cache-control', 'no-cache').type('html').send(template);
  });
  return r;
}
