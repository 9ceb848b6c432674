// Preloaded (node --require) into the benchmark's server processes: if the benchmark dies
// without stopping them, they notice they were orphaned and exit.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(0);
}, 500).unref();
