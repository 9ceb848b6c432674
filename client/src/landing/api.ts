import type { CreateWorkshop } from '../../../shared/commands.ts';
import type { Failure } from '../../../shared/errors.ts';
import { errorMessage, landing as t } from '../../../shared/messages.ts';

export interface Created {
  code: string;
  facilitatorKey: string;
  participantUrl: string;
  facilitatorUrl: string;
}

type Answer<T> = { ok: true; value: T } | { ok: false; status: number; message: string };

async function call<T>(path: string, init?: RequestInit): Promise<Answer<T>> {
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers: { accept: 'application/json', ...(init?.body ? { 'content-type': 'application/json' } : {}) } });
  } catch {
    return { ok: false, status: 0, message: t.network };
  }
  const body = (await res.json().catch(() => null)) as (T & Partial<Failure>) | null;
  if (res.ok && body) return { ok: true, value: body };
  const message = body?.message ?? (body?.code ? errorMessage(body.code) : errorMessage('internal'));
  return { ok: false, status: res.status, message };
}

export const createWorkshop = (input: CreateWorkshop) => call<Created>('/api/workshops', { method: 'POST', body: JSON.stringify(input) });

export const findWorkshop = (code: string) => call<{ code: string; title: string }>(`/api/workshops/${encodeURIComponent(code)}`);

/** Typed codes are forgiving: case, spaces and dashes do not matter (as on the server). */
export const normalizeCode = (raw: string): string => raw.toUpperCase().replace(/[\s-]/g, '');
