import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../support/process.ts';
import { removeDir } from '../support/server.ts';

/**
 * HOST (issue 24 item 16): by default the server listens on every interface, as a laptop on
 * venue Wi-Fi needs, and says at start which addresses phones can open; HOST narrows it to one.
 */

/** This machine's own addresses other than loopback, IPv4 first (what the start-up message lists). */
const ownAddresses = Object.values(networkInterfaces())
  .flat()
  .filter((i) => i && !i.internal && !(i.family === 'IPv6' && i.address.startsWith('fe80:')))
  .sort((a, b) => (a!.family === b!.family ? 0 : a!.family === 'IPv4' ? -1 : 1))
  .map((i) => (i!.family === 'IPv6' ? `[${i!.address}]` : i!.address));

const started: Array<{ proc: ChildProcess; dir: string }> = [];
afterEach(async () => {
  for (const { proc, dir } of started.splice(0)) {
    if (proc.exitCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
    }
    removeDir(dir);
  }
});

/** Starts the real server process with `env` and returns once it has printed its addresses. */
async function start(env: Record<string, string>): Promise<{ port: number; out: string }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'fishbone-host-'));
  const proc = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, HOST: '', PUBLIC_URL: '', LOG_LEVEL: 'info', ...env, PORT: String(port), DATA_DIR: dir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  started.push({ proc, dir });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    proc.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (/Phones can/.test(out) && out.endsWith('\n')) resolve();
    });
    proc.once('exit', (code) => reject(new Error(`server exited (${code}): ${out}`)));
  });
  return { port, out };
}

const answers = async (url: string): Promise<boolean> => {
  try {
    return (await fetch(`${url}/healthz`)).ok;
  } catch {
    return false;
  }
};

describe('HOST', () => {
  it('listens on every interface by default and prints the addresses phones can use', async () => {
    const { port, out } = await start({});
    expect(await answers(`http://127.0.0.1:${port}`)).toBe(true);
    expect(await answers(`http://[::1]:${port}`)).toBe(true);
    for (const a of ownAddresses) {
      expect(out).toContain(`http://${a}:${port}`);
      expect(await answers(`http://${a}:${port}`)).toBe(true);
    }
    if (ownAddresses.length)
      expect(out).toMatch(new RegExp(`Phones can join at: http://${ownAddresses[0].replace(/[.[\]]/g, '\\$&')}:${port}`));
  });

  it('listens on HOST alone when it is set', async () => {
    const { port, out } = await start({ HOST: '127.0.0.1' });
    expect(await answers(`http://127.0.0.1:${port}`)).toBe(true);
    // Not on IPv6 loopback, nor on the machine's own addresses.
    expect(await answers(`http://[::1]:${port}`)).toBe(false);
    for (const a of ownAddresses) expect(await answers(`http://${a}:${port}`)).toBe(false);
    expect(out).toContain(`Fishbone Live on http://127.0.0.1:${port}`);
    expect(out).toContain('Phones cannot reach this server: HOST is a loopback address');
  });

  it('names PUBLIC_URL as the phones’ address when it is set', async () => {
    const { out } = await start({ PUBLIC_URL: 'https://fishbone.example.org' });
    expect(out).toContain('Phones can join at: https://fishbone.example.org');
  });
});
