/**
 * An attacker in its own process (so its CPU is not the test's): floods a server for a few
 * seconds and prints what it got back as one JSON line. Used by tests/abuse/floods.test.ts.
 *
 *   node --import tsx tests/abuse/flooder.ts URL KIND SECONDS [CODE] [KEY]
 *
 * KIND: events  20 sockets that never join, emitting `time` and unknown events non-stop
 *       notes   100 participants in workshop CODE adding notes as fast as they are answered
 *       exports 4 loops downloading the PNG of workshop CODE with facilitator KEY
 *       heavy   imports 3 workshops at the caps (2,000 notes) and, from 4 loops, downloads their
 *               SVG, PNG, slides and Word report, renaming each board between rounds so that no
 *               file comes from the cache; half the requests are dropped before their answer
 *       create  one address creating workshops as fast as it is answered
 *       guess   one address trying join codes (HTTP), as a code guesser would
 */
import { io, type Socket } from 'socket.io-client';

const [url, kind, secondsArg, code, key] = process.argv.slice(2);
const until = Date.now() + Number(secondsArg) * 1000;
const counts: Record<string, number> = {};
const count = (what: string) => (counts[what] = (counts[what] ?? 0) + 1);
const token = () => Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url');
const randomCode = () => Array.from({ length: 6 }, () => 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'[Math.floor(Math.random() * 31)]).join('');

/** The attacker's address, as the trusted proxy on loopback forwards it. */
const FROM = { 'x-forwarded-for': `203.0.113.${{ events: 10, notes: 11, exports: 12, create: 13, guess: 14, heavy: 15 }[kind] ?? 99}` };

function socket(): Socket {
  return io(url, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: FROM });
}

async function events(): Promise<void> {
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (Date.now() < until) {
        const s = socket();
        const closed = new Promise<void>((resolve) => s.on('disconnect', () => resolve()).on('connect_error', () => resolve()));
        s.on('connect', () => {
          const burst = () => {
            if (!s.connected || Date.now() > until) return;
            for (let i = 0; i < 200; i++) {
              s.emit('time', () => count('time answered'));
              s.emit(`junk:${i}`, 'x', () => count('junk answered'));
            }
            setImmediate(burst);
          };
          burst();
        });
        await Promise.race([closed, new Promise((r) => setTimeout(r, Math.max(0, until - Date.now())))]);
        count(s.connected ? 'still connected' : 'cut off');
        s.close();
        await new Promise((r) => setTimeout(r, 20));
      }
    }),
  );
}

async function notes(): Promise<void> {
  await Promise.all(
    Array.from({ length: 100 }, async (_, n) => {
      const s = socket();
      const connected = await new Promise<boolean>((resolve) =>
        s.on('connect', () => resolve(true)).on('connect_error', () => resolve(false)),
      );
      if (!connected) return void count('connection refused');
      const joined = (await s.timeout(5000).emitWithAck('join', { as: 'participant', code, token: token() })) as { ok: boolean };
      if (!joined.ok) return void count('join refused');
      let i = 0;
      const worker = async () => {
        while (Date.now() < until && s.connected) {
          try {
            const r = (await s
              .timeout(5000)
              .emitWithAck('cmd', { type: 'note.add', id: `flood-${n}-${i++}-xyz`, boneId: 'people', text: `Flood ${n} ${i}` })) as {
              ok: boolean;
              code?: string;
            };
            count(r.ok ? 'ok' : r.code!);
          } catch {
            count('no answer');
          }
        }
      };
      await Promise.all(Array.from({ length: 10 }, worker));
      s.close();
    }),
  );
}

async function http(makeRequest: () => Promise<Response>): Promise<void> {
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (Date.now() < until) {
        const res = await makeRequest();
        await res.arrayBuffer();
        count(String(res.status));
      }
    }),
  );
}

/** Heavy exports of boards at the caps, each round on a changed board (so never from the cache). */
async function heavy(): Promise<void> {
  const { bigBoard } = await import('../../bench/export-board.ts');
  const boards: Array<{ code: string; facilitatorKey: string; socket: Socket }> = [];
  for (let i = 0; i < 3; i++) {
    const res = await fetch(`${url}/api/workshops/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...FROM },
      body: JSON.stringify(bigBoard(2000)),
    });
    count(`import ${res.status}`);
    if (res.status !== 201) continue;
    const w = (await res.json()) as { code: string; facilitatorKey: string };
    const s = socket();
    await s.timeout(5000).emitWithAck('join', { as: 'facilitator', code: w.code, key: w.facilitatorKey });
    boards.push({ ...w, socket: s });
  }
  const kinds = ['fishbone.svg', 'fishbone.png', 'slides.pptx', 'report.docx'];
  let round = 0;
  await Promise.all(
    Array.from({ length: 4 }, async (_, loop) => {
      while (Date.now() < until) {
        const b = boards[round % boards.length];
        const kind = kinds[(round + loop) % kinds.length];
        round++;
        await b.socket
          .timeout(5000)
          .emitWithAck('cmd', { type: 'settings.set', id: `rename-${loop}-${round}-x`, title: `Board ${round}` })
          .catch(() => count('rename lost'));
        // Every other request is given up after 50 ms: its job must not run on for nobody.
        const giveUp = new AbortController();
        if (round % 2) setTimeout(() => giveUp.abort(), 50);
        try {
          const res = await fetch(`${url}/api/workshops/${b.code}/export/${kind}`, {
            headers: { authorization: `Bearer ${b.facilitatorKey}`, ...FROM },
            signal: giveUp.signal,
          });
          await res.arrayBuffer();
          count(String(res.status));
        } catch {
          count('given up');
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    }),
  );
  for (const b of boards) b.socket.close();
}

const started = Date.now();
switch (kind) {
  case 'events':
    await events();
    break;
  case 'notes':
    await notes();
    break;
  case 'exports':
    await http(() => fetch(`${url}/api/workshops/${code}/export/fishbone.png`, { headers: { authorization: `Bearer ${key}`, ...FROM } }));
    break;
  case 'heavy':
    await heavy();
    break;
  case 'create':
    await http(() =>
      fetch(`${url}/api/workshops`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...FROM },
        body: JSON.stringify({ title: 'Spam' }),
      }),
    );
    break;
  case 'guess':
    await http(() => fetch(`${url}/api/workshops/${randomCode()}`, { headers: FROM }));
    break;
  default:
    throw new Error(`unknown flood ${kind}`);
}
console.log(JSON.stringify({ kind, seconds: (Date.now() - started) / 1000, counts }));
process.exit(0);
