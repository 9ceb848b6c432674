import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';

const configFile = fileURLToPath(new URL('./svelte.config.js', import.meta.url));

export default defineConfig({
  root: 'client',
  // vite with root 'client' does not look for svelte.config.js at the repo root (ENVIRONMENT.md)
  plugins: [svelte({ configFile })],
  build: { outDir: '../dist/client', emptyOutDir: true, target: 'es2020' },
  server: { proxy: { '/socket.io': { target: 'http://localhost:3000', ws: true }, '/api': 'http://localhost:3000' } },
});
