import { parentPort } from 'node:worker_threads';
import { render, type RenderJob } from './render.ts';

/** The render pool's worker thread: takes a job, answers with the file's bytes or the error. */
parentPort!.on('message', async ({ id, job }: { id: number; job: RenderJob }) => {
  try {
    const bytes = await render(job);
    const copy = new Uint8Array(bytes);
    parentPort!.postMessage({ id, bytes: copy }, [copy.buffer]);
  } catch (err) {
    parentPort!.postMessage({ id, error: String(err) });
  }
});
