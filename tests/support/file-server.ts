import { afterAll, beforeAll } from 'vitest';
import { freePort, ServerProcess } from './process.ts';

/**
 * One production server process for a whole test file (vitest only): started before its tests,
 * stopped and its data removed after. Call at the top of the file; read `server()` inside tests.
 */
export function serverForFile(env?: Record<string, string>): () => ServerProcess {
  let server: ServerProcess | undefined;
  beforeAll(async () => {
    server = new ServerProcess(await freePort(), env);
    await server.start();
  });
  afterAll(async () => {
    await server?.stop();
    server?.cleanup();
  });
  return () => server!;
}
