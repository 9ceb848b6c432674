import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApplication, type Application } from '../../server/app.ts';
import { SqliteStore } from '../../server/store/sqlite.ts';
import { tmpdir } from 'node:os';
import { removeDir } from '../support/server.ts';

/** A server with a stand-in client build, to check what page routes and headers look like. */
let dir: string;
let url: string;
let app: Application;
let http: ReturnType<typeof createServer>;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fishbone-http-'));
  const clientDir = join(dir, 'client');
  mkdirSync(join(clientDir, 'assets'), { recursive: true });
  writeFileSync(join(clientDir, 'index.html'), '<!doctype html><title>Fishbone Live</title>');
  writeFileSync(join(clientDir, 'assets', 'app.js'), 'console.log(1)');
  http = createServer();
  app = createApplication(http, { store: new SqliteStore(join(dir, 'db.sqlite')), clientDir });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(async () => {
  http.closeAllConnections();
  await app.close();
  removeDir(dir);
});

describe('HTTP', () => {
  it('serves the client for every page route', async () => {
    for (const path of ['/', '/w/ABCDEF', '/w/ABCDEF/facilitate', '/w/ABCDEF/screen']) {
      const res = await fetch(url + path);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('Fishbone Live');
    }
    expect((await fetch(`${url}/assets/app.js`)).headers.get('content-type')).toContain('javascript');
  });

  it('sets a Content Security Policy that allows only its own scripts, nosniff and no framing', async () => {
    const res = await fetch(`${url}/w/ABCDEF`);
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
    const res = await fetch(`${url}/socket.io/?EIO=4&transport=polling`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('answers unknown API routes and health checks with JSON', async () => {
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ ok: true });
    const res = await fetch(`${url}/api/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ ok: false });
  });
});
