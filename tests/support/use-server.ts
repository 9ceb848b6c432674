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
