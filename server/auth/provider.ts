import * as oidc from 'openid-client';
import { identityFrom, type Identity } from './identity.ts';
import type { AuthSettings } from './settings.ts';

/** What one sign-in carries from its start to the provider's answer (kept in a signed cookie). */
export interface Flow {
  state: string;
  nonce: string;
  verifier: string;
  /** A path on this server to go back to once signed in. */
  back: string;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The OpenID provider, through openid-client: the authorization code flow with PKCE (S256), a
 * state and a nonce. The provider's metadata is discovered on first use (and again after a
 * failure), so a provider that is down when the server starts only delays sign-in. Plain http
 * is accepted for a provider on this machine only (tests, a local Keycloak).
 */
export class SignInProvider {
  #config: Promise<oidc.Configuration> | null = null;

  constructor(private readonly s: AuthSettings) {}

  #discover(): Promise<oidc.Configuration> {
    if (!this.#config) {
      const local = this.s.issuer.protocol === 'http:' && LOOPBACK.has(this.s.issuer.hostname);
      this.#config = oidc.discovery(
        this.s.issuer,
        this.s.clientId,
        undefined,
        this.s.clientSecret ? oidc.ClientSecretBasic(this.s.clientSecret) : oidc.None(),
        { execute: local ? [oidc.allowInsecureRequests] : [], timeout: 10 },
      );
      this.#config.catch(() => (this.#config = null));
    }
    return this.#config;
  }

  /** Where to send the browser, and what to remember until it comes back. */
  async start(redirectUri: string, back: string): Promise<{ url: URL; flow: Flow }> {
    const config = await this.#discover();
    const flow: Flow = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier(), back };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: this.s.scopes,
      code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: 'S256',
      state: flow.state,
      nonce: flow.nonce,
    });
    return { url, flow };
  }

  /** The provider's answer (the callback's URL) checked and exchanged: who signed in. */
  async finish(callbackUrl: URL, flow: Flow): Promise<Identity> {
    const config = await this.#discover();
    const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: flow.verifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    });
    const claims: Record<string, unknown> = { ...tokens.claims() };
    // Many providers put the email and groups only in the userinfo answer.
    if (config.serverMetadata().userinfo_endpoint && tokens.access_token) {
      Object.assign(claims, await oidc.fetchUserInfo(config, tokens.access_token, String(claims.sub)));
    }
    return identityFrom(config.serverMetadata().issuer, claims, this.s.groupClaim);
  }
}
