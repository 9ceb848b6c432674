import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';

/** The session's cookie: its token, for the whole site. */
export const SESSION_COOKIE = 'fishbone_session';
/** One sign-in's state between leaving for the provider and coming back (path /auth only). */
export const FLOW_COOKIE = 'fishbone_signin';

/** A cookie from the request, or undefined. */
export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * HttpOnly (no script reads it), SameSite=Lax (another site's forms and fetches do not carry
 * it; coming back from the provider, a top-level GET, does), Secure where the request came over
 * HTTPS (directly or as a trusted proxy says).
 */
export function setCookie(req: Request, res: Response, name: string, value: string, opts: { maxAgeMs: number; path?: string }): void {
  res.cookie(name, value, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: opts.path ?? '/', maxAge: opts.maxAgeMs });
}

export function clearCookie(req: Request, res: Response, name: string, path = '/'): void {
  res.clearCookie(name, { httpOnly: true, sameSite: 'lax', secure: req.secure, path });
}

const mac = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('base64url');

/** JSON signed with the server's secret, good until `expiresAt`. */
export function seal(secret: string, value: object, expiresAt: number): string {
  const body = Buffer.from(JSON.stringify({ v: value, exp: expiresAt })).toString('base64url');
  return `${body}.${mac(secret, body)}`;
}

/** The value sealed, if its signature holds and it has not run out. */
export function unseal<T>(secret: string, sealed: string | undefined, now: number): T | null {
  if (!sealed) return null;
  const [body, sig] = sealed.split('.');
  if (!body || !sig) return null;
  const want = Buffer.from(mac(secret, body));
  const got = Buffer.from(sig);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return null;
  try {
    const { v, exp } = JSON.parse(Buffer.from(body, 'base64url').toString()) as { v: T; exp: number };
    return typeof exp === 'number' && exp > now ? v : null;
  } catch {
    return null;
  }
}
