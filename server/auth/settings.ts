import { z } from 'zod';

/** What an organisation sets to have its facilitators sign in (README.md, "Sign-in for facilitators"). */
export interface AuthSettings {
  /** The OpenID provider (Entra ID, Google, Okta, Keycloak…): discovery at `<issuer>/.well-known/openid-configuration`. */
  issuer: URL;
  clientId: string;
  /** Absent for a public client (PKCE only). */
  clientSecret: string | undefined;
  scopes: string;
  /** Email domains whose accounts may sign in, lower case; `*` for any. Empty: no domain rule. */
  allowedDomains: string[];
  /** The claim that lists an account's groups, and the groups that may sign in. Empty: no group rule. */
  groupClaim: string;
  allowedGroups: string[];
  /** Signs the sign-in's own short-lived cookie and derives the owner keys of accounts' workshops. */
  secret: string;
  sessionMs: number;
  /** Creating, importing and duplicating workshops needs a signed-in facilitator. */
  requiredToCreate: boolean;
}

const list = (s: string | undefined) =>
  (s ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

const envSchema = z.object({
  OIDC_ISSUER: z.url({ protocol: /^https?$/ }),
  OIDC_CLIENT_ID: z.string().min(1),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_SCOPES: z.string().min(1).default('openid email profile'),
  OIDC_ALLOWED_DOMAINS: z.string().optional(),
  OIDC_GROUP_CLAIM: z.string().min(1).default('groups'),
  OIDC_ALLOWED_GROUPS: z.string().optional(),
  AUTH_SECRET: z.string().min(32, 'AUTH_SECRET needs at least 32 characters (e.g. `openssl rand -base64 32`)'),
  AUTH_SESSION_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(12),
  SIGN_IN_TO_CREATE: z.enum(['true', 'false', '1', '0', 'yes', 'no']).default('false'),
});

/**
 * The sign-in settings from the environment, or null when OIDC_ISSUER is not set (sign-in off:
 * nothing changes). Settings that are there but incomplete stop the server with what is missing,
 * rather than starting without the protection someone meant to have.
 */
export function authSettingsFrom(env: NodeJS.ProcessEnv): AuthSettings | null {
  if (!env.OIDC_ISSUER) return null;
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new Error(`sign-in settings: ${String(i.path[0] ?? '')}: ${i.message}`);
  }
  const e = parsed.data;
  const allowedDomains = list(e.OIDC_ALLOWED_DOMAINS).map((d) => d.toLowerCase().replace(/^@/, ''));
  const allowedGroups = list(e.OIDC_ALLOWED_GROUPS);
  if (!allowedDomains.length && !allowedGroups.length)
    throw new Error('sign-in settings: set OIDC_ALLOWED_DOMAINS (or `*`) or OIDC_ALLOWED_GROUPS: who may sign in?');
  return {
    issuer: new URL(e.OIDC_ISSUER),
    clientId: e.OIDC_CLIENT_ID,
    clientSecret: e.OIDC_CLIENT_SECRET,
    scopes: e.OIDC_SCOPES.includes('openid') ? e.OIDC_SCOPES : `openid ${e.OIDC_SCOPES}`,
    allowedDomains,
    groupClaim: e.OIDC_GROUP_CLAIM,
    allowedGroups,
    secret: e.AUTH_SECRET,
    sessionMs: Math.round(e.AUTH_SESSION_HOURS * 3_600_000),
    requiredToCreate: ['true', '1', 'yes'].includes(e.SIGN_IN_TO_CREATE),
  };
}
