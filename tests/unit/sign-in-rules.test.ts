import { describe, expect, it } from 'vitest';
import { identityFrom, isAllowed } from '../../server/auth/identity.ts';
import { authSettingsFrom } from '../../server/auth/settings.ts';

const base = {
  OIDC_ISSUER: 'https://login.example.org/tenant/v2.0',
  OIDC_CLIENT_ID: 'fishbone',
  AUTH_SECRET: 'x'.repeat(32),
};

describe('sign-in settings', () => {
  it('are off without an issuer: nothing changes', () => {
    expect(authSettingsFrom({})).toBeNull();
  });

  it('refuse to start half-set: a short secret, or no rule saying who may sign in', () => {
    expect(() => authSettingsFrom({ ...base, OIDC_ALLOWED_DOMAINS: 'nhs.example', AUTH_SECRET: 'short' })).toThrow(/AUTH_SECRET/);
    expect(() => authSettingsFrom(base)).toThrow(/OIDC_ALLOWED_DOMAINS.*OIDC_ALLOWED_GROUPS/);
    expect(() => authSettingsFrom({ ...base, OIDC_ISSUER: 'not a url', OIDC_ALLOWED_DOMAINS: '*' })).toThrow(/OIDC_ISSUER/);
  });

  it('read lists, defaults and switches', () => {
    const s = authSettingsFrom({
      ...base,
      OIDC_ALLOWED_DOMAINS: ' @NHS.example, council.example ',
      SIGN_IN_TO_CREATE: 'true',
      AUTH_SESSION_HOURS: '1.5',
    })!;
    expect(s.allowedDomains).toEqual(['nhs.example', 'council.example']);
    expect(s.scopes).toBe('openid email profile');
    expect(s.requiredToCreate).toBe(true);
    expect(s.sessionMs).toBe(5_400_000);
    expect(s.clientSecret).toBeUndefined();
  });
});

describe('who may sign in', () => {
  const who = (claims: Record<string, unknown>) => identityFrom('https://idp', { sub: 's1', ...claims }, 'groups');

  it('by domain: a verified email in the list (or any, with *)', () => {
    const rule = { allowedDomains: ['nhs.example'], allowedGroups: [] };
    expect(isAllowed(who({ email: 'Ana@NHS.example' }), rule)).toBe(true);
    expect(isAllowed(who({ email: 'ana@nhs.example', email_verified: false }), rule)).toBe(false);
    expect(isAllowed(who({ email: 'ana@nhs.example.evil.test' }), rule)).toBe(false);
    expect(isAllowed(who({}), rule)).toBe(false);
    expect(isAllowed(who({ email: 'x@anywhere.test' }), { allowedDomains: ['*'], allowedGroups: [] })).toBe(true);
  });

  it('by group, and by both when both are set', () => {
    const rule = { allowedDomains: [], allowedGroups: ['facilitators'] };
    expect(isAllowed(who({ groups: ['staff', 'facilitators'] }), rule)).toBe(true);
    expect(isAllowed(who({ groups: 'facilitators' }), rule)).toBe(true);
    expect(isAllowed(who({ groups: ['staff'] }), rule)).toBe(false);
    const both = { allowedDomains: ['nhs.example'], allowedGroups: ['facilitators'] };
    expect(isAllowed(who({ email: 'a@nhs.example', groups: ['staff'] }), both)).toBe(false);
    expect(isAllowed(who({ email: 'a@nhs.example', groups: ['facilitators'] }), both)).toBe(true);
  });

  it('never without a subject', () => {
    expect(isAllowed(identityFrom('https://idp', { email: 'a@nhs.example' }, 'groups'), { allowedDomains: ['*'], allowedGroups: [] })).toBe(
      false,
    );
  });
});
