// Preloaded (node --require) into the benchmark's server processes, never into production.
// 1. If the benchmark dies without stopping them, they notice they were orphaned and exit.
// 2. With BENCH_STALLS set, every 250 ms it appends "<monotonic ms> <longest event-loop delay
//    in ms>" to that file, so the report can say whether the server's loop was held up.
const { appendFileSync } = require('node:fs');
const { monitorEventLoopDelay } = require('node:perf_hooks');

const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid) process.exit(0);
}, 500).unref();

const file = process.env.BENCH_STALLS;
if (file) {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  setInterval(() => {
    const now = Number(process.hrtime.bigint()) / 1e6;
    appendFileSync(file, `${now.toFixed(1)} ${(h.max / 1e6).toFixed(1)}\n`);
    h.reset();
  }, 250).unref();
}
