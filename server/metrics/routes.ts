import type { RequestHandler } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Metrics } from './metrics.ts';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Whether a request carries the scrape token as `Authorization: Bearer <token>` (compared in constant time). */
export function hasToken(req: IncomingMessage, token: string): boolean {
  const m = /^Bearer\s+(\S+)$/.exec(req.headers.authorization ?? '');
  return !!m && timingSafeEqual(digest(m[1]), digest(token));
}

/** Answer a scrape: the registry's text, or 401 when a token is set and not given. */
export async function serveMetrics(metrics: Metrics, token: string | undefined, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (token && !hasToken(req, token)) {
    res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' }).end('metrics need their token\n');
    return;
  }
  const { contentType, body } = await metrics.scrape();
  res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body);
}

/** Counts every HTTP answer by status when it is sent (refusals and 429s). */
export function countAnswers(metrics: Metrics): RequestHandler {
  return (_req, res, next) => {
    res.on('finish', () => metrics.httpAnswered(res.statusCode));
    next();
  };
}
