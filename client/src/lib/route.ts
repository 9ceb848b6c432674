/** The app's pages, read from the path; the facilitator key lives in the fragment. */
export type Route =
  | { page: 'landing' }
  | { page: 'participant'; code: string }
  | { page: 'facilitator'; code: string }
  | { page: 'screen'; code: string }
  | { page: 'report'; code: string }
  /** A partnership (issue 26): its page, /p/ID#key=… */
  | { page: 'partnership'; id: string }
  | { page: 'not-found' };

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { page: 'landing' };
  const p = /^\/p\/([A-Za-z0-9_-]{1,64})\/?$/.exec(pathname);
  if (p) return { page: 'partnership', id: p[1] };
  const m = /^\/w\/([A-Za-z0-9-]{1,16})(?:\/(facilitate|screen|report))?\/?$/.exec(pathname);
  if (!m) return { page: 'not-found' };
  const code = m[1].toUpperCase();
  if (m[2] === 'facilitate') return { page: 'facilitator', code };
  if (m[2] === 'screen') return { page: 'screen', code };
  if (m[2] === 'report') return { page: 'report', code };
  return { page: 'participant', code };
}

/** `#key=…` from the facilitator link; never sent to the server in a request line. */
export function keyFromHash(hash: string): string | null {
  const m = /[#&]key=([A-Za-z0-9_-]{16,128})/.exec(hash);
  return m ? m[1] : null;
}
