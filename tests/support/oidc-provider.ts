import type { Server } from 'node:http';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';
import { freePort } from './process.ts';

/** A person at the test organisation's provider: they sign in by typing their `login` (any password). */
export interface TestAccount {
  login: string;
  email: string;
  name: string;
  groups: string[];
  emailVerified?: boolean;
}

/** Logins are opaque staff ids, so a test can look for them (the subject) apart from the email. */
export const ADA: TestAccount = {
  login: 'h7f3c2-ada',
  email: 'ada.byron@health.example',
  name: 'Ada Byron',
  groups: ['fishbone-facilitators'],
};
export const BOB: TestAccount = { login: 'h55aa1-bob', email: 'bob.lewis@health.example', name: 'Bob Lewis', groups: ['estates'] };
export const EVE: TestAccount = {
  login: 'x0d1e9-eve',
  email: 'eve.stone@elsewhere.example',
  name: 'Eve Stone',
  groups: ['fishbone-facilitators'],
};
export const UNVERIFIED: TestAccount = {
  ...ADA,
  login: 'h9b9b9-una',
  email: 'una@health.example',
  name: 'Una Checked',
  emailVerified: false,
};

export const CLIENT_ID = 'fishbone-live';
export const CLIENT_SECRET = 'test-client-secret-of-the-organisation';

/** A server's sign-in settings (environment variables) for the provider at `issuer`; `extra` says who may sign in. */
export function signInSettings(issuer: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    OIDC_ISSUER: issuer,
    OIDC_CLIENT_ID: CLIENT_ID,
    OIDC_CLIENT_SECRET: CLIENT_SECRET,
    AUTH_SECRET: 'a-test-secret-of-at-least-32-characters-long',
    ...extra,
  };
}

/**
 * A real OpenID provider (the `oidc-provider` package) on a local port, as an organisation's
 * Entra ID or Keycloak would be to the server: discovery, its own login page (the package's
 * development login: any password), authorization code with PKCE required, signed ID tokens,
 * userinfo. Consent is taken as given, as an organisation's administrator grants it once.
 */
export class TestProvider {
  private constructor(
    readonly issuer: string,
    private readonly server: Server,
  ) {}

  static async start(redirectUris: string[], opts: { port?: number; accounts?: TestAccount[] } = {}): Promise<TestProvider> {
    const port = opts.port ?? (await freePort());
    const accounts = opts.accounts ?? [ADA, BOB, EVE, UNVERIFIED];
    const issuer = `http://127.0.0.1:${port}`;
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: CLIENT_ID,
          client_secret: CLIENT_SECRET,
          redirect_uris: redirectUris,
          grant_types: ['authorization_code'],
          response_types: ['code'],
        },
      ],
      scopes: ['openid', 'email', 'profile', 'groups'],
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
      pkce: { required: () => true },
      cookies: { keys: ['test-provider-cookie-key'] },
      features: { devInteractions: { enabled: true } },
      ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
      async findAccount(_ctx: KoaContextWithOIDC, sub: string) {
        const a = accounts.find((x) => x.login === sub);
        if (!a) return undefined;
        return {
          accountId: sub,
          claims: async () => ({ sub, email: a.email, email_verified: a.emailVerified ?? true, name: a.name, groups: a.groups }),
        };
      },
      async loadExistingGrant(ctx: KoaContextWithOIDC) {
        const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
        grant.addOIDCScope('openid email profile groups');
        await grant.save();
        return grant;
      },
    });
    const server = provider.listen(port);
    await new Promise<void>((r) => server.once('listening', () => r()));
    return new TestProvider(issuer, server);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

/** Cookies by origin, the way a browser keeps them (paths and expiry are the provider's business). */
class Jar {
  readonly #byOrigin = new Map<string, Map<string, string>>();

  header(url: URL): string {
    return [...(this.#byOrigin.get(url.origin) ?? new Map<string, string>())].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  take(url: URL, setCookies: string[]): void {
    let jar = this.#byOrigin.get(url.origin);
    if (!jar) this.#byOrigin.set(url.origin, (jar = new Map()));
    for (const c of setCookies) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const gone = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]) < Date.now()));
      if (gone || !value) jar.delete(name);
      else jar.set(name, value);
    }
  }

  get(url: string, name: string): string | undefined {
    return this.#byOrigin.get(new URL(url).origin)?.get(name);
  }
}

/**
 * Sign in to the server at `appUrl` through the provider's login page without a browser (the
 * integration tests; the browser tests click through the same page): follows every redirect,
 * fills the login form with `login`, and ends where the server sends the browser back to
 * (`back`, when signed in). `from`: the address a trusted proxy says the browser is at.
 * Returns the session cookie's value (if a session was started) and that last address.
 */
export async function signIn(
  appUrl: string,
  login: string,
  opts: { back?: string; from?: string } = {},
): Promise<{ session: string | undefined; landed: URL }> {
  const jar = new Jar();
  const app = new URL(appUrl).origin;
  let url = new URL(`/auth/login?back=${encodeURIComponent(opts.back ?? '/')}`, appUrl);
  let init: { method: string; body?: URLSearchParams } = { method: 'GET' };
  for (let hops = 0; hops < 20; hops++) {
    const headers: Record<string, string> = { cookie: jar.header(url) };
    // The address a trusted proxy says the browser is at, on the server's requests only.
    if (opts.from && url.origin === app) headers['x-forwarded-for'] = opts.from;
    const res = await fetch(url, { method: init.method, body: init.body, redirect: 'manual', headers });
    jar.take(url, res.headers.getSetCookie());
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      url = new URL(location, url);
      init = { method: 'GET' };
      continue;
    }
    const html = await res.text();
    const form = /<form[^>]*action="([^"]+)"[^>]*method="post"[^>]*>[\s\S]*?name="login"/i.exec(html);
    if (res.status === 200 && form) {
      url = new URL(form[1].replace(/&amp;/g, '&'), url);
      init = { method: 'POST', body: new URLSearchParams({ prompt: 'login', login, password: 'any password' }) };
      continue;
    }
    return { session: jar.get(appUrl, 'fishbone_session'), landed: url };
  }
  throw new Error('sign-in went round in circles');
}
