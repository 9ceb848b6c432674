import type { AuthSettings } from './settings.ts';

/** Who the provider says signed in: what the server keeps of it is in account-store.ts. */
export interface Identity {
  issuer: string;
  subject: string;
  email: string;
  name: string;
  /** Whether the provider says the address is verified: false when it says it is not, true when silent. */
  emailVerified: boolean;
  groups: string[];
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** An identity from the ID token's claims and the userinfo answer (the latter wins where both say). */
export function identityFrom(issuer: string, claims: Record<string, unknown>, groupClaim: string): Identity {
  const email = text(claims.email) || text(claims.preferred_username);
  const rawGroups = claims[groupClaim];
  return {
    issuer,
    subject: text(claims.sub),
    email: email.toLowerCase(),
    name: text(claims.name) || email,
    emailVerified: claims.email_verified !== false && claims.email_verified !== 'false',
    groups: Array.isArray(rawGroups)
      ? rawGroups.filter((g): g is string => typeof g === 'string')
      : typeof rawGroups === 'string'
        ? [rawGroups]
        : [],
  };
}

/**
 * May this identity sign in? Both rules that are set must hold: a verified email in an allowed
 * domain (`*`: any), and membership of an allowed group.
 */
export function isAllowed(id: Identity, s: Pick<AuthSettings, 'allowedDomains' | 'allowedGroups'>): boolean {
  if (!id.subject) return false;
  if (s.allowedDomains.length) {
    const domain = id.email.includes('@') ? id.email.slice(id.email.lastIndexOf('@') + 1) : '';
    const domainOk = s.allowedDomains.includes('*') || (!!domain && id.emailVerified && s.allowedDomains.includes(domain));
    if (!domainOk) return false;
  }
  if (s.allowedGroups.length && !id.groups.some((g) => s.allowedGroups.includes(g))) return false;
  return true;
}
