import type { WorkshopExport } from '../../../shared/export-schema.ts';
import { report as t } from '../../../shared/messages/report.ts';

export type ExportFile = 'report.docx' | 'slides.pptx' | 'ranking.csv' | 'workshop.json' | 'report.md' | 'fishbone.svg' | 'fishbone.png';

export type Fetched<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * One facilitator-only export. The key travels in the Authorization header, never in the URL,
 * so it stays out of server logs and browser history.
 */
export async function fetchExport(code: string, key: string, file: ExportFile): Promise<Fetched<Response>> {
  let res: Response;
  try {
    res = await fetch(`/api/workshops/${encodeURIComponent(code)}/export/${file}`, {
      headers: { authorization: `Bearer ${key}` },
      cache: 'no-store',
    });
  } catch {
    return { ok: false, message: t.network };
  }
  if (res.ok) return { ok: true, value: res };
  // Refusals come as {ok:false, code, message}; anything else gets a plain status line.
  try {
    const body = (await res.json()) as { message?: unknown };
    if (typeof body.message === 'string' && body.message) return { ok: false, message: body.message };
  } catch {
    /* not JSON */
  }
  return { ok: false, message: t.httpError(res.status) };
}

/** The workshop as the JSON export has it: the report takes its date and head count from here. */
export async function fetchWorkshopExport(code: string, key: string): Promise<Fetched<WorkshopExport>> {
  const r = await fetchExport(code, key, 'workshop.json');
  if (!r.ok) return r;
  try {
    return { ok: true, value: (await r.value.json()) as WorkshopExport };
  } catch {
    return { ok: false, message: t.network };
  }
}
