import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, ServerProcess } from '../../tests/support/process.ts';
import { createWorkshop } from '../../tests/support/server.ts';
import { TestClient } from '../../tests/support/client.ts';

/**
 * The HTTP attacks of the issue "A public server survives the open internet", replayed against
 * the production server (its real limits), each from one address for SECONDS: what got through,
 * what it cost on disk and in memory. The socket floods are tests/abuse/floods.test.ts.
 *   npm run build && npx tsx bench/experiments/attacks.ts [seconds]
 */
const SECONDS = Number(process.argv[2] ?? 15);
const ATTACKER = { 'x-forwarded-for': '203.0.113.66' };

/** The built server, as `npm start` runs it (ServerProcess runs the sources). */
class BuiltServer extends ServerProcess {
  override async start(): Promise<void> {
    this.proc = spawn(process.execPath, ['dist/server/main.js'], {
      env: { ...process.env, PORT: String(this.port), DATA_DIR: this.dataDir },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    for (let i = 0; i < 200; i++) {
      if (
        await fetch(`${this.url}/healthz`).then(
          (r) => r.ok,
          () => false,
        )
      )
        return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('server did not start');
  }
  rssMb(): number {
    const line = readFileSync(`/proc/${this.proc!.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)!;
    return Number(line[1]) / 1024;
  }
  diskMb(): number {
    return readdirSync(this.dataDir).reduce((sum, f) => sum + statSync(join(this.dataDir, f)).size, 0) / 1e6;
  }
}

/** Send `request` back to back for SECONDS; count the answers by status. */
async function hammer(request: () => Promise<Response>, loops = 4): Promise<Record<number, number>> {
  const counts: Record<number, number> = {};
  const until = Date.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: loops }, async () => {
      while (Date.now() < until) {
        const res = await request();
        await res.arrayBuffer();
        counts[res.status] = (counts[res.status] ?? 0) + 1;
      }
    }),
  );
  return counts;
}

const rows: string[] = [];
const row = (attack: string, got: string) => {
  rows.push(`| ${attack} | ${got} |`);
  console.log(`${attack}: ${got}`);
};
const perSecond = (n: number | undefined) => ((n ?? 0) / SECONDS).toFixed(1);

const server = new BuiltServer(await freePort());
await server.start();
try {
  // 1. Creating workshops from one address.
  let disk = server.diskMb();
  const created = await hammer(() =>
    fetch(`${server.url}/api/workshops`, {
      method: 'POST',
      headers: { ...ATTACKER, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Flood' }),
    }),
  );
  row(
    'create workshops, one address',
    `${created[201] ?? created[200] ?? 0} created (${perSecond(created[201] ?? created[200])}/s), ${created[429] ?? 0} × 429; disk +${(server.diskMb() - disk).toFixed(1)} MB`,
  );

  // 2. Importing a large workshop again and again.
  const w = await createWorkshop(server.url, { title: 'Big', silent: false }, '198.51.100.1');
  const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
  await fac.do({ type: 'phase.set', phase: 'brainstorm' });
  const p = await TestClient.participant(server.url, w.code);
  await p.do({ type: 'note.add', boneId: 'people', text: 'Seed' });
  p.close();
  fac.close();
  const exported = (await (
    await fetch(`${server.url}/api/workshops/${w.code}/export/workshop.json`, { headers: { authorization: `Bearer ${w.facilitatorKey}` } })
  ).json()) as { notes: Array<Record<string, unknown>> };
  const seed = exported.notes[0];
  exported.notes = Array.from({ length: 2000 }, (_, i) => ({
    ...seed,
    id: `n${i}`,
    text: `${i} ${'A long barrier. '.repeat(20)}`.slice(0, 280),
  }));
  const body = JSON.stringify(exported);
  const first = await fetch(`${server.url}/api/workshops/import`, {
    method: 'POST',
    headers: { 'x-forwarded-for': '198.51.100.250', 'content-type': 'application/json' },
    body,
  });
  if (first.status !== 201) throw new Error(`the import itself is refused: ${first.status} ${await first.text()}`);
  disk = server.diskMb();
  const imported = await hammer(
    () =>
      fetch(`${server.url}/api/workshops/import`, {
        method: 'POST',
        headers: { ...ATTACKER, 'x-forwarded-for': '203.0.113.67', 'content-type': 'application/json' },
        body,
      }),
    2,
  );
  row(
    `import ${(body.length / 1e6).toFixed(1)} MB, one address`,
    `${imported[201] ?? imported[200] ?? 0} imported, ${imported[429] ?? 0} × 429, other ${JSON.stringify(Object.fromEntries(Object.entries(imported).filter(([s]) => !['200', '201', '429'].includes(s))))}; disk +${(server.diskMb() - disk).toFixed(1)} MB`,
  );

  // 3. Guessing join codes.
  const letters = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
  const guess = () => Array.from({ length: 6 }, () => letters[Math.floor(Math.random() * letters.length)]).join('');
  const guessed = await hammer(() => fetch(`${server.url}/api/workshops/${guess()}`, { headers: { 'x-forwarded-for': '203.0.113.68' } }));
  row('guess join codes, one address', `${guessed[404] ?? 0} codes tried (${perSecond(guessed[404])}/s), ${guessed[429] ?? 0} × 429`);

  // 4. Anonymous GETs that load workshops: memory. 2,000 workshops (setup from 100 addresses), each read 10 times.
  const codes: string[] = [];
  for (let a = 0; a < 100; a++)
    codes.push(
      ...(await Promise.all(
        Array.from({ length: 20 }, () => createWorkshop(server.url, { title: 'Read' }, `198.51.100.${a + 2}`).then((x) => x.code)),
      )),
    );
  const rssBefore = server.rssMb();
  let gets = 0;
  for (let round = 0; round < 10; round++)
    for (let i = 0; i < codes.length; i += 50)
      await Promise.all(
        codes.slice(i, i + 50).map(async (code) => {
          const res = await fetch(`${server.url}/api/workshops/${code}`);
          await res.arrayBuffer();
          if (res.ok) gets++;
        }),
      );
  row(`${gets} GETs over ${codes.length} workshops`, `RSS ${rssBefore.toFixed(0)} → ${server.rssMb().toFixed(0)} MB`);
  const wal = statSync(join(server.dataDir, readdirSync(server.dataDir).find((f) => f.endsWith('-wal')) ?? 'none'), {
    throwIfNoEntry: false,
  });
  row('WAL after all of it', `${((wal?.size ?? 0) / 1e6).toFixed(1)} MB`);
} finally {
  await server.stop();
  server.cleanup();
}
console.log(`\n| attack (${SECONDS} s each) | after |\n|---|---|\n${rows.join('\n')}`);
