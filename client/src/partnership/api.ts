import type { Failure } from '../../../shared/errors.ts';
import { errorMessage } from '../../../shared/messages/core.ts';
import { partnership as t } from '../../../shared/messages/partnership.ts';
import type { PartnershipView } from '../../../shared/partnership/view.ts';
import type { Created } from '../landing/api.ts';

/**
 * The partnership's HTTP API (docs/PROTOCOL.md, "Partnerships"). Its key travels in the
 * Authorization header, never in a URL, so it stays out of logs and history.
 */

export type Answer<T> = { ok: true; value: T } | { ok: false; status: number; message: string };

async function call<T>(path: string, opts: { method?: string; body?: unknown; key?: string } = {}): Promise<Answer<T>> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: opts.method ?? 'GET',
      cache: 'no-store',
      headers: {
        accept: 'application/json',
        ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}),
      },
      body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
    });
  } catch {
    return { ok: false, status: 0, message: t.network };
  }
  const body = (await res.json().catch(() => null)) as (T & Partial<Failure>) | null;
  if (res.ok && body) return { ok: true, value: body };
  return { ok: false, status: res.status, message: body?.message ?? errorMessage(body?.code ?? 'internal') };
}

export interface CreatedPartnership {
  id: string;
  key: string;
  url: string;
}

export const createPartnership = (title: string) => call<CreatedPartnership>('/api/partnerships', { method: 'POST', body: { title } });

export const importPartnership = (file: unknown) => call<CreatedPartnership>('/api/partnerships/import', { method: 'POST', body: file });

export const readPartnership = (id: string, key: string) => call<PartnershipView>(`/api/partnerships/${encodeURIComponent(id)}`, { key });

/** The next workshop, started in the partnership (it starts from the last one). */
export const startWorkshop = (id: string, key: string, title: string) =>
  call<Created>('/api/workshops', { method: 'POST', body: { title, partnership: { id, key } } });

/** A workshop this browser facilitates joins the partnership. */
export const addWorkshop = (id: string, key: string, code: string, workshopKey: string) =>
  call<{ ok: true }>(`/api/workshops/${encodeURIComponent(code)}/partnership`, { method: 'POST', key: workshopKey, body: { id, key } });

export const makeLink = (id: string, key: string) =>
  call<{ link: { id: string; key: string } }>(`/api/partnerships/${encodeURIComponent(id)}/links`, { method: 'POST', key });

export const revokeLink = (id: string, key: string, linkId: string) =>
  call<{ ok: true }>(`/api/partnerships/${encodeURIComponent(id)}/links/${encodeURIComponent(linkId)}`, { method: 'DELETE', key });

export type PartnershipFile = 'partnership.json' | 'rankings.csv' | 'trend.svg' | 'trend.png';

/** A file of the partnership, saved with the name the server gives it (a plain link would carry the key). */
export async function downloadFile(
  id: string,
  key: string,
  file: PartnershipFile,
): Promise<{ ok: true; name: string } | { ok: false; message: string }> {
  let res: Response;
  try {
    res = await fetch(`/api/partnerships/${encodeURIComponent(id)}/export/${file}`, {
      headers: { authorization: `Bearer ${key}` },
      cache: 'no-store',
    });
  } catch {
    return { ok: false, message: t.network };
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as Partial<Failure> | null;
    return { ok: false, message: body?.message ?? errorMessage('internal') };
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? file;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
  return { ok: true, name };
}
