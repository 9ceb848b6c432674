import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import { log } from '../log/logger.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { fail } from '../workshop/result.ts';
import { sha256 } from '../workshop/keys.ts';
import type { AccountStore, SessionRow } from './account-store.ts';
import { clearCookie, readCookie, SESSION_COOKIE, setCookie } from './cookies.ts';
import type { Creators } from './creators.ts';
import type { Identity } from './identity.ts';
import { ownerKeyFor } from './owner-keys.ts';
import { SignInProvider } from './provider.ts';
import type { AuthSettings } from './settings.ts';

/** A request's signed-in facilitator. */
export interface SignedIn extends SessionRow {
  tokenHash: string;
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const SWEEP_MS = 60 * 60 * 1000;

/**
 * Facilitators' sign-in: sessions behind a cookie, the accounts they belong to, and who may
 * create workshops. The browser holds a random token (256 bits); the server keeps its SHA-256
 * with the account, the name and email to show back, and when it runs out (AUTH_SESSION_HOURS,
 * from sign-in; sessions that ran out are swept at start and every hour). Signing out deletes it.
 */
export class Auth {
  readonly provider: SignInProvider;
  readonly #sweep: NodeJS.Timeout;
  readonly #signedIn = new WeakMap<Response, SignedIn>();

  constructor(
    readonly settings: AuthSettings,
    readonly accounts: AccountStore,
    readonly now: () => number,
    readonly metrics?: Metrics,
  ) {
    this.provider = new SignInProvider(settings);
    const sweep = () => void accounts.endExpired(now()).catch((err: unknown) => log.error({ err }, 'sweeping ended sessions failed'));
    sweep();
    this.#sweep = setInterval(sweep, SWEEP_MS);
    this.#sweep.unref();
  }

  /** The facilitator the request's cookie names, if their session is still on. */
  async sessionOf(req: Request): Promise<SignedIn | null> {
    const token = readCookie(req, SESSION_COOKIE);
    if (!token || !TOKEN.test(token)) return null;
    const tokenHash = sha256(token);
    const row = await this.accounts.session(tokenHash, this.now());
    return row ? { ...row, tokenHash } : null;
  }

  /** A new session for someone the provider signed in and the settings allow. */
  async begin(req: Request, res: Response, who: Identity): Promise<void> {
    const now = this.now();
    const accountId = await this.accounts.account(who.issuer, who.subject, now);
    const token = randomBytes(32).toString('base64url');
    await this.accounts.startSession(sha256(token), {
      accountId,
      name: who.name.slice(0, 200),
      email: who.email.slice(0, 320),
      createdAt: now,
      expiresAt: now + this.settings.sessionMs,
    });
    setCookie(req, res, SESSION_COOKIE, token, { maxAgeMs: this.settings.sessionMs });
  }

  async end(req: Request, res: Response): Promise<void> {
    const who = await this.sessionOf(req);
    if (who) await this.accounts.endSession(who.tokenHash);
    clearCookie(req, res, SESSION_COOKIE);
  }

  /** The owner key of a workshop this account created. */
  ownerKey(accountId: string, workshopId: string): string {
    return ownerKeyFor(this.settings.secret, accountId, workshopId);
  }

  readonly creators: Creators = {
    gate: async (req, res, next) => {
      try {
        const who = await this.sessionOf(req);
        if (who) this.#signedIn.set(res, who);
        else if (this.settings.requiredToCreate) return void res.status(401).json(fail('sign_in_required'));
        next();
      } catch (err) {
        next(err);
      }
    },
    save: async (res, make) => {
      const who = this.#signedIn.get(res);
      if (!who) return make();
      const made = await make((workshopId) => this.ownerKey(who.accountId, workshopId));
      if ('row' in made) await this.accounts.linkWorkshop(who.accountId, made.row.id, this.now());
      return made;
    },
  };

  close(): void {
    clearInterval(this.#sweep);
  }
}
