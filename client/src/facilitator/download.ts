import { fetchExport, type ExportFile } from '../report/api.ts';

/**
 * Download an export with the key in a header: fetch → blob → object URL → a throwaway
 * <a download> click. A plain link would have to carry the key in its URL.
 * Returns the saved file name, or the server's refusal.
 */
export async function downloadExport(
  code: string,
  key: string,
  file: ExportFile,
): Promise<{ ok: true; name: string } | { ok: false; message: string }> {
  const r = await fetchExport(code, key, file);
  if (!r.ok) return r;
  const blob = await r.value.blob();
  const name = /filename="([^"]+)"/.exec(r.value.headers.get('content-disposition') ?? '')?.[1] ?? `fishbone-${code}-${file}`;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // The browser reads the blob after the click returns: let it go a little later.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
  return { ok: true, name };
}
