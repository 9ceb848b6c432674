/** Time in tests: one sleep and one poll, so every file waits the same way. */

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Poll until a check holds (replicas converge asynchronously); the check may be async. Never use
 * this to show that something did NOT happen: sync first (TestClient.sync), then look.
 */
export async function until(check: () => boolean | Promise<boolean>, what = 'condition', ms = 5000, every = 10): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(every);
  }
}
