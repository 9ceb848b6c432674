import { describe, expect, it } from 'vitest';
import { RELEASE_TIMING } from '../../server/workshop/disclosure.ts';
import { useTestServerWithClient } from '../support/use-server.ts';

/** A server with a stand-in client build, to check what page routes and headers look like. */
const server = useTestServerWithClient(
  { 'index.html': '<!doctype html><title>Fishbone Live</title>', 'assets/app.js': 'console.log(1)' },
  { realLimits: true, registry: { releaseTiming: RELEASE_TIMING } },
);

describe('HTTP', () => {
  it('serves the client for every page route', async () => {
    for (const path of ['/', '/w/ABCDEF', '/w/ABCDEF/facilitate', '/w/ABCDEF/screen']) {
      const res = await fetch(server.url + path);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('Fishbone Live');
    }
    expect((await fetch(`${server.url}/assets/app.js`)).headers.get('content-type')).toContain('javascript');
  });

  it('sets a Content Security Policy that allows only its own scripts, nosniff and no framing', async () => {
    const res = await fetch(`${server.url}/w/ABCDEF`);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it("gives socket.io's long-polling answers the same protective headers", async () => {
    const res = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('answers unknown API routes and health checks with JSON', async () => {
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ ok: true });
    const res = await fetch(`${server.url}/api/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ ok: false });
  });
});
