import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const configFile = fileURLToPath(new URL('./svelte.config.js', import.meta.url));

/**
 * Every script and stylesheet also as .br and .gz, compressed once here at the best ratio (the
 * server sends them as they are: server/app.ts). Brotli at its best is about a tenth smaller
 * than gzip, a tenth less time on a phone's slow network; and no CPU per request.
 */
function precompress(): Plugin {
  return {
    name: 'precompress',
    apply: 'build',
    writeBundle(opts, bundle) {
      for (const name of Object.keys(bundle)) {
        if (!/\.(js|css)$/.test(name)) continue;
        const file = join(opts.dir!, name);
        const body = readFileSync(file);
        writeFileSync(`${file}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
        writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
      }
    },
  };
}

/**
 * The one stylesheet holds what the participant page draws with (its components, the shared
 * ones it uses, app.css); every other page's components bring their styles in their own chunk
 * (Svelte's injected CSS). On a phone's slow network the stylesheet shares the line with the
 * page's scripts: this keeps the facilitator's and the projector's styles off it.
 */
const forPhone = (file: string) =>
  /client\/src\/(participant\/|pages\/Participant\.svelte|components\/(ConnectionStatus|TimerDisplay)\.svelte)/.test(file);

export default defineConfig({
  root: 'client',
  // vite with root 'client' does not look for svelte.config.js at the repo root: name it
  plugins: [
    svelte({ configFile, dynamicCompileOptions: ({ filename }) => (forPhone(filename) ? undefined : { css: 'injected' }) }),
    precompress(),
  ],
  // The manifest lets the server preload the participant page's chunks with its HTML.
  // One stylesheet for all pages: on a phone over HTTP/1.1 every extra file can cost a round trip.
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    target: 'es2020',
    manifest: true,
    cssCodeSplit: false,
    rolldownOptions: {
      output: {
        // What every live page needs (sync, socket, words, small shared parts) in one file, so
        // a phone fetches the participant page in as few requests as HTTP/1.1 allows. The
        // facilitator pages' own helper in lib/ stays out of it.
        codeSplitting: {
          groups: [
            {
              // Yjs and socket.io: loaded beside the page, not before it draws (client/src/lib/sync.ts),
              // so the phone's first script to run is small.
              name: 'sync',
              priority: 1,
              test: /node_modules\/(yjs|lib0|socket\.io|engine\.io|@socket\.io|debug|ms|component-emitter)\/|client\/src\/lib\/(sync|early-socket)\.ts/,
            },
            {
              name: 'live',
              // First: a group takes its modules' dependencies along, and the bundler's helpers
              // (class fields for es2020) must stay here, not in 'sync'.
              priority: 2,
              test: /rolldown[:/]runtime|@oxc-project\+runtime|client\/src\/lib\/(?!facilitator-|sync\.ts|early-socket\.ts)|components\/(TimerDisplay|ConnectionStatus)|shared\/(messages\/(core|format|board)|limits|doc|phases|prompts|ranking|rounds)/,
            },
            {
              // The participant page's parts, which its on-demand pieces (the diagram, Act) share,
              // in one file: otherwise the bundler splits what they share into small chunks of
              // their own, each one more request on the phone's first load.
              name: 'phone',
              // ("Since last time", a partnership's, is loaded on demand like the diagram and Act.)
              test: /client\/src\/participant\/(?!fishbone\/|act\/|since\/)|shared\/messages\/participant/,
            },
          ],
        },
      },
    },
  },
  server: { proxy: { '/socket.io': { target: 'http://localhost:3000', ws: true }, '/api': 'http://localhost:3000' } },
});
