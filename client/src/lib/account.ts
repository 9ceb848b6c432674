import { account as t } from '../../../shared/messages/account.ts';
import { errorMessage } from '../../../shared/messages/core.ts';
import type { Failure } from '../../../shared/errors.ts';

/** What the server says about sign-in (server/auth/routes.ts, MeAnswer). */
export interface Me {
  signIn: boolean;
  requiredToCreate?: boolean;
  signedIn?: { name: string; email: string; expiresAt: number };
}

export interface AccountWorkshop {
  code: string;
  title: string;
  phase: string;
  createdAt: number;
  closedAt: number | null;
}

type Answer<T> = { ok: true; value: T } | { ok: false; status: number; message: string };

/** The session travels as its cookie (same origin), never in the page's own code. */
async function call<T>(path: string, method = 'GET'): Promise<Answer<T>> {
  try {
    const res = await fetch(path, { method, headers: { accept: 'application/json' }, credentials: 'same-origin' });
    const body = (await res.json().catch(() => null)) as (T & Partial<Failure>) | null;
    if (res.ok && body) return { ok: true, value: body };
    return { ok: false, status: res.status, message: body?.message ?? errorMessage(body?.code ?? 'internal') };
  } catch {
    return { ok: false, status: 0, message: t.network };
  }
}

export const me = () => call<Me>('/api/me');

export const myWorkshops = () => call<{ workshops: AccountWorkshop[] }>('/api/me/workshops');

/** The owner key of one of this account's workshops, for a device that does not have it. */
export const keyFromAccount = (code: string) => call<{ key: string }>(`/api/me/workshops/${encodeURIComponent(code)}/key`, 'POST');

export const signOut = () => call<{ ok: true }>('/auth/logout', 'POST');

/** Leave for the organisation's sign-in page, and come back to `back` (this page by default). */
export function signIn(back = location.pathname): void {
  location.assign(`/auth/login?back=${encodeURIComponent(back)}`);
}
