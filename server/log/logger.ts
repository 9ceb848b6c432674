import { pino, type DestinationStream, type Logger } from 'pino';
import { prettyStream } from './pretty.ts';

/**
 * The process's one logger: a JSON line per entry on stdout, each with its level and time (ISO),
 * for a log collector; `LOG_FORMAT=pretty` writes one readable line instead, for development.
 * `LOG_LEVEL` is trace, debug, info (default), warn, error, fatal or silent.
 *
 * What may go into a line: counts, kinds, phases, workshop codes and internal ids, durations,
 * error messages, and a client address only truncated (address.ts). Never a facilitator key, a
 * browser token, a participant id, a session, a note's words or a header: nothing that logs a
 * request passes its headers or query string (http-log.ts), and the keys below are blanked as a
 * second guard should one be passed by mistake.
 */
const level = process.env.LOG_LEVEL ?? 'info';
const pretty = process.env.LOG_FORMAT === 'pretty';

const destination: DestinationStream = pretty ? prettyStream(process.stdout) : pino.destination({ dest: 1, sync: true });

export const log: Logger = pino(
  {
    level,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    serializers: { err: errorFields },
    redact: {
      paths: ['key', 'token', 'participantId', 'text', 'authorization', 'cookie', '*.key', '*.token', '*.authorization', '*.cookie'],
      censor: '[hidden]',
    },
  },
  destination,
);

/** An error as its kind, code, message and stack: not its other fields (a driver's may quote row values). */
export function errorFields(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const code = (err as { code?: unknown }).code;
  return {
    type: err.name,
    message: err.message,
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    stack: err.stack,
  };
}
