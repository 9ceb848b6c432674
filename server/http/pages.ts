import { Router } from 'express';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import { isLimited, type Guard } from '../guard/guard.ts';

interface ManifestChunk {
  file: string;
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
 * Wi-Fi, so its HTML names every chunk it will need (modulepreload: one round trip instead of
 * three) and carries the workshop's current shared document, so the board is on screen before
 * the socket has connected; the socket then sends only what changed since. The document is the
 * same public state every participant receives, and JSON in a non-executable script element is
 * allowed by the Content Security Policy.
 */
export function pageRoutes(clientDir: string, guard: Guard): Router {
  const r = Router();
  const template = readFileSync(join(clientDir, 'index.html'), 'utf8');
  const manifestFile = join(clientDir, '.vite', 'manifest.json');
  const manifest = existsSync(manifestFile) ? (JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, ManifestChunk>) : {};
  const entry = manifest['index.html']?.file;
  const participant = closure(manifest, 'src/pages/Participant.svelte', new Set(entry ? ['index.html'] : []));
  const preload = [
    ...participant.js.map((f) => `<link rel="modulepreload" crossorigin href="/${f}">`),
    ...participant.css.map((f) => `<link rel="stylesheet" crossorigin href="/${f}">`),
  ].join('');
  const participantHead = template.replace('</head>', `${preload}</head>`);

  r.get('/w/:code', async (req, res) => {
    // A guesser gets the plain page, never a board: the page itself says the code is unknown.
    const found = await guard.find(guard.addressOf(req), req.params.code);
    const w = isLimited(found) ? null : found;
    let html = participantHead;
    if (w) {
      const state = JSON.stringify({ code: w.row.code, update: Buffer.from(Y.encodeStateAsUpdate(w.doc)).toString('base64') });
      html = html.replace(
        '<div id="app"></div>',
        `<div id="app"></div><script type="application/json" id="initial-state">${state.replace(/</g, '\\u003c')}</script>`,
      );
    }
    res.set('cache-control', 'no-cache').type('html').send(html);
  });

  // Every other page route is the plain single-page client; it reads the path itself.
  r.get('/{*page}', (_req, res) => {
    res.set('cache-control', 'no-cache').type('html').send(template);
  });
  return r;
}
