import { Writable } from 'node:stream';

/** One line per entry for a person at a terminal: time, level, message, then the other fields. */
export function prettyLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const { level, time, msg, pid: _pid, hostname: _host, err, ...rest } = entry;
  const clock = typeof time === 'string' ? time.slice(11, 23) : '';
  const fields = Object.entries(rest)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  const stack = err && typeof err === 'object' && 'stack' in err ? `\n${String((err as { stack: unknown }).stack)}` : '';
  return `${clock} ${String(level ?? '')
    .toUpperCase()
    .padEnd(5)} ${String(msg ?? '')}${fields ? `  ${fields}` : ''}${stack}\n`;
}

/** A stream pino writes JSON lines to, passing each on as a readable line. */
export function prettyStream(out: NodeJS.WritableStream): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      out.write(chunk.toString().split('\n').filter(Boolean).map(prettyLine).join(''));
      done();
    },
  });
}
