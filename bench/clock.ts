/**
 * One clock for every process of a run: CLOCK_MONOTONIC (process.hrtime) is shared by all
 * processes on the machine, so a send time stamped in one load generator and an arrival time
 * stamped in another can be subtracted. Milliseconds, with sub-millisecond precision.
 */
export const mono = (): number => Number(process.hrtime.bigint()) / 1e6;

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** Resolve at a given mono() time (timers are coarse; this is good to about a millisecond). */
export const at = (t: number): Promise<void> => sleep(t - mono());
