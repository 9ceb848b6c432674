import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { removeDir, startServer, type TestServer } from './server.ts';

/**
 * One real server for a test file: started before its tests, stopped and its data folder removed
 * after. The returned object is filled in when the server is up.
 */
export function useTestServer(opts: Parameters<typeof startServer>[0] = {}): TestServer {
  const server = {} as TestServer;
  beforeAll(async () => {
    Object.assign(server, await startServer(opts));
  });
  afterAll(async () => {
    await server.stop();
    removeDir(server.dataDir);
  });
  return server;
}

/**
 * The same, serving a stand-in client build: `files` (path → content, `index.html` at least) in a
 * folder of its own, for tests of what the server does with pages and assets without building the
 * real client.
 */
export function useTestServerWithClient(
  files: Record<string, string | Uint8Array>,
  opts: Omit<Parameters<typeof startServer>[0] & object, 'clientDir'> = {},
): TestServer {
  const clientDir = mkdtempSync(join(tmpdir(), 'fishbone-client-'));
  for (const [path, body] of Object.entries(files)) {
    mkdirSync(dirname(join(clientDir, path)), { recursive: true });
    writeFileSync(join(clientDir, path), body);
  }
  afterAll(() => removeDir(clientDir));
  return useTestServer({ ...opts, clientDir });
}
