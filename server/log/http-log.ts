import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp } from 'pino-http';
import { truncatedAddress } from './address.ts';
import { errorFields, log } from './logger.ts';

/** Requests whose lines say nothing an operator needs at info: the client's files. */
const quiet = (path: string) => path.startsWith('/assets/') || /\.(js|css|svg|png|ico|webmanifest|br|gz)$/.test(path);

const pathOf = (url: string | undefined) => (url ?? '').split('?')[0];
/** The path as the client asked it (express shortens `url` inside mounted routers). */
const requested = (req: IncomingMessage) => pathOf((req as { originalUrl?: string }).originalUrl ?? req.url);

/**
 * One line per HTTP request when it is answered: a request id (also sent back as X-Request-Id, so
 * a user's report can be matched to its line), method, path, status, time taken and the truncated
 * client address; at debug, the client's files and 429s. The query string is left out (a sign-in's callback carries its code there) and
 * so are all headers (keys travel as `Authorization`, sessions as cookies).
 */
export function httpLog(addressOf: (req: IncomingMessage) => string) {
  return pinoHttp({
    logger: log,
    genReqId: (_req: IncomingMessage, res: ServerResponse) => {
      const id = randomUUID();
      res.setHeader('x-request-id', id);
      return id;
    },
    quietReqLogger: true,
    serializers: {
      req: (r: { method?: string; url?: string }) => ({ method: r.method, path: pathOf(r.url) }),
      res: (r: { statusCode?: number }) => ({ status: r.statusCode }),
      err: errorFields,
    },
    customProps: (req) => ({ addr: truncatedAddress(addressOf(req)) }),
    customSuccessMessage: (req, res) => `${req.method} ${requested(req)} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method} ${requested(req)} ${res.statusCode}`,
    customLogLevel: (req, res, err) => {
      if (err || res.statusCode >= 500) return 'error';
      // A flood's refusals would be a flood of lines: the metrics count them (fishbone_rate_limited_total).
      if (res.statusCode === 429) return 'debug';
      return quiet(requested(req)) ? 'debug' : 'info';
    },
  });
}
