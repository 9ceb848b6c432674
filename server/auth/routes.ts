import { Router, type Request, type Response } from 'express';
import { log } from '../log/logger.ts';
import { normalizeCode } from '../workshop/keys.ts';
import { fail } from '../workshop/result.ts';
import type { Auth } from './auth.ts';
import { clearCookie, FLOW_COOKIE, readCookie, seal, setCookie, unseal } from './cookies.ts';
import { isAllowed } from './identity.ts';
import type { Flow } from './provider.ts';

/** How long a sign-in may stay at the provider (its login page, a second factor). */
const FLOW_MS = 10 * 60 * 1000;
/** A path on this server, nothing that a browser could read as another host. */
const LOCAL_PATH = /^\/(?![/\\])[A-Za-z0-9\-._~!$&'()*+,;=:@/%]{0,200}$/;

/** What a browser learns about sign-in: whether it is on, and who is signed in (to themselves). */
export interface MeAnswer {
  signIn: boolean;
  requiredToCreate?: boolean;
  signedIn?: { name: string; email: string; expiresAt: number };
}

/** When sign-in is off: the start page asks, and hears so. */
export function signInOff(): Router {
  const r = Router();
  r.get('/api/me', (_req, res) => void res.set('cache-control', 'no-store').json({ signIn: false } satisfies MeAnswer));
  return r;
}

/**
 * Sign-in's routes:
 * - `GET /auth/login?back=/path` leaves for the provider (authorization code + PKCE), its state in
 *   a signed cookie; `GET /auth/callback` comes back, checks the answer and the account, starts a
 *   session and returns to `back`, or to the start page with `?signin=refused|failed|unavailable`;
 * - `POST /auth/logout` ends the session;
 * - `GET /api/me`, `GET /api/me/workshops` (the account's workshops) and
 *   `POST /api/me/workshops/:code/key` (the owner key of one of them, for a device without it).
 * None of these is about a workshop's participants: nothing here is ever sent to a phone or the projector.
 */
export function authRoutes(auth: Auth, publicUrl: string | undefined): Router {
  const r = Router();
  const base = (req: Request) => publicUrl ?? `${req.protocol}://${req.get('host')}`;
  const redirectUri = (req: Request) => `${base(req)}/auth/callback`;
  const toStart = (res: Response, outcome: string) => res.redirect(303, `/?signin=${outcome}`);

  r.get('/auth/login', async (req, res) => {
    const asked = typeof req.query.back === 'string' ? req.query.back : '/';
    const back = LOCAL_PATH.test(asked) ? asked : '/';
    try {
      const { url, flow } = await auth.provider.start(redirectUri(req), back);
      setCookie(req, res, FLOW_COOKIE, seal(auth.settings.secret, flow, auth.now() + FLOW_MS), { maxAgeMs: FLOW_MS, path: '/auth' });
      res.set('cache-control', 'no-store').redirect(303, url.href);
    } catch (err) {
      log.error({ err }, 'sign-in: the provider could not be reached');
      toStart(res, 'unavailable');
    }
  });

  r.get('/auth/callback', async (req, res) => {
    const flow = unseal<Flow>(auth.settings.secret, readCookie(req, FLOW_COOKIE), auth.now());
    clearCookie(req, res, FLOW_COOKIE, '/auth');
    res.set('cache-control', 'no-store');
    if (!flow) {
      auth.metrics?.signIn('failed');
      log.info({ outcome: 'failed', why: 'no sign-in under way (expired, or another browser)' }, 'sign-in');
      return toStart(res, 'failed');
    }
    try {
      const who = await auth.provider.finish(new URL(req.originalUrl, base(req)), flow);
      if (!isAllowed(who, auth.settings)) {
        auth.metrics?.signIn('refused');
        log.info({ outcome: 'refused' }, 'sign-in');
        return toStart(res, 'refused');
      }
      await auth.begin(req, res, who);
      auth.metrics?.signIn('ok');
      log.info({ outcome: 'ok' }, 'sign-in');
      res.redirect(303, flow.back);
    } catch (err) {
      auth.metrics?.signIn('failed');
      log.warn({ outcome: 'failed', err: { type: (err as Error)?.name, message: (err as Error)?.message } }, 'sign-in');
      toStart(res, 'failed');
    }
  });

  r.post('/auth/logout', async (req, res) => {
    await auth.end(req, res);
    res.set('cache-control', 'no-store').json({ ok: true });
  });

  r.get('/api/me', async (req, res) => {
    const who = await auth.sessionOf(req);
    const answer: MeAnswer = { signIn: true, requiredToCreate: auth.settings.requiredToCreate };
    if (who) answer.signedIn = { name: who.name, email: who.email, expiresAt: who.expiresAt };
    res.set('cache-control', 'no-store').json(answer);
  });

  r.get('/api/me/workshops', async (req, res) => {
    res.set('cache-control', 'no-store');
    const who = await auth.sessionOf(req);
    if (!who) return void res.status(401).json(fail('sign_in_required'));
    res.json({ workshops: await auth.accounts.workshops(who.accountId) });
  });

  r.post('/api/me/workshops/:code/key', async (req, res) => {
    res.set('cache-control', 'no-store');
    const who = await auth.sessionOf(req);
    if (!who) return void res.status(401).json(fail('sign_in_required'));
    const id = await auth.accounts.workshopOf(who.accountId, normalizeCode(req.params.code));
    // Someone else's workshop and no workshop at all get the same answer.
    if (!id) return void res.status(404).json(fail('unknown_workshop'));
    res.json({ key: auth.ownerKey(who.accountId, id) });
  });

  return r;
}
