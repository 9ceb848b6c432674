import { parentPort } from 'node:worker_threads';
import { render, type RenderJob } from './render.ts';

/** The render pool's worker thread: takes a job, answers with the file's bytes or the error. */
parentPort!.on('message', async ({ key, job }: { key: string; job: RenderJob }) => {
  try {
    const bytes = await render(job);
    const copy = new Uint8Array(bytes);
    parentPort!.postMessage({ key, bytes: copy }, [copy.buffer]);
  } catch (err) {
    parentPort!.postMessage({ key, error: String(err) });
  }
});
