import type { CreateWorkshop } from '../../../shared/commands.ts';
import type { Failure } from '../../../shared/errors.ts';
import type { Phase } from '../../../shared/phases.ts';
import { errorMessage } from '../../../shared/messages/core.ts';
import { landing as t } from '../../../shared/messages/landing.ts';

export interface Created {
  code: string;
  facilitatorKey: string;
  participantUrl: string;
  facilitatorUrl: string;
}

type Answer<T> = { ok: true; value: T } | { ok: false; status: number; message: string };

async function call<T>(path: string, opts: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer<T>> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: opts.method ?? 'GET',
      headers: { accept: 'application/json', ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}), ...opts.headers },
      body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
    });
  } catch {
    return { ok: false, status: 0, message: t.network };
  }
  const body = (await res.json().catch(() => null)) as (T & Partial<Failure>) | null;
  if (res.ok && body) return { ok: true, value: body };
  const message = body?.message ?? (body?.code ? errorMessage(body.code) : errorMessage('internal'));
  return { ok: false, status: res.status, message };
}

export const createWorkshop = (input: CreateWorkshop) => call<Created>('/api/workshops', { method: 'POST', body: input });

export const findWorkshop = (code: string) =>
  call<{ code: string; title: string; phase: Phase }>(`/api/workshops/${encodeURIComponent(code)}`);

/** Facilitator-only calls carry the key in a header, never in the address. */
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

export const duplicateWorkshop = (code: string, key: string) =>
  call<Created>(`/api/workshops/${encodeURIComponent(code)}/duplicate`, { method: 'POST', headers: bearer(key) });

export const deleteWorkshop = (code: string, key: string) =>
  call<{ ok: true }>(`/api/workshops/${encodeURIComponent(code)}`, { method: 'DELETE', headers: bearer(key) });

/** Typed codes are forgiving: case, spaces and dashes do not matter (as on the server). */
export const normalizeCode = (raw: string): string => raw.toUpperCase().replace(/[\s-]/g, '');
