import { parse } from 'csv-parse/sync';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { EXPORT_VERSION, workshopExportSchema } from '../../shared/export-schema.ts';
import { participantId } from '../../server/workshop/keys.ts';
import { sweepClosed } from '../../server/workshop/retention.ts';
import { TestClient, until } from '../support/client.ts';
import { createWorkshop } from '../support/server.ts';
import { useTestServer } from '../support/use-server.ts';

const server = useTestServer();

const get = (path: string, key?: string) => fetch(server.url + path, { headers: key ? { authorization: `Bearer ${key}` } : {} });

/** A whole workshop: notes, votes, reveal, act with tags and actions. */
async function finishedWorkshop() {
  const w = await createWorkshop(server.url, { title: 'Partnership away-day, "spring"', silent: true });
  const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
  await fac.do({ type: 'settings.set', groups: ['NHS', 'Council'] });
  await fac.do({ type: 'phase.set', phase: 'brainstorm' });
  const people = await Promise.all([0, 1, 2, 3, 4].map(() => TestClient.participant(server.url, w.code)));
  for (const p of people.slice(0, 3)) await p.do({ type: 'profile.set', group: 'NHS' });
  const texts = ['Consultants dominate, "always"', '=cmd|calc', 'No time', 'Cost shunting, again', 'Reluctance to share data'];
  for (const [i, p] of people.entries())
    await p.do({ type: 'note.add', boneId: ['people', 'processes', 'resources', 'resources', 'resources'][i], text: texts[i] });
  await fac.do({ type: 'phase.set', phase: 'vote' });
  await until(() => fac.board().notes.length === 5, 'revealed');
  const id = (t: string) => fac.board().notes.find((n) => n.text === t)!.id;
  for (const p of people) {
    await p.do({ type: 'vote.change', noteId: id(texts[0]), delta: 3 });
    await p.do({ type: 'vote.change', noteId: id(texts[2]), delta: 2 });
  }
  await fac.do({ type: 'phase.set', phase: 'reveal' });
  await fac.do({ type: 'phase.set', phase: 'act' });
  await fac.do({ type: 'act.tag', noteId: id(texts[0]), tag: 'influence' });
  await fac.do({ type: 'action.add', noteId: id(texts[0]), what: 'Rotate who chairs', who: 'Partnership board', when: 'Next meeting' });
  const workshopId = server.store.db.prepare('SELECT id FROM workshops WHERE code = ?').pluck().get(w.code) as string;
  return { w, fac, people, texts, id, workshopId };
}

describe('exports', () => {
  it('need the facilitator key: 401 without, 403 with a wrong one, 404 for an unknown code', async () => {
    const { w } = await finishedWorkshop();
    for (const kind of ['ranking.csv', 'workshop.json', 'report.md']) {
      const none = await get(`/api/workshops/${w.code}/export/${kind}`);
      expect(none.status).toBe(401);
      expect(await none.json()).toMatchObject({ ok: false, code: 'unauthorized' });
      const wrong = await get(`/api/workshops/${w.code}/export/${kind}`, 'not-the-key-at-all');
      expect(wrong.status).toBe(403);
      expect(await wrong.json()).toMatchObject({ ok: false, code: 'forbidden' });
    }
    expect((await get('/api/workshops/ZZZZZZ/export/workshop.json', w.facilitatorKey)).status).toBe(404);
  });

  it('CSV of the ranking opens in Excel (BOM, quoted) and round-trips through a CSV parser', async () => {
    const { w, texts } = await finishedWorkshop();
    const res = await get(`/api/workshops/${w.code}/export/ranking.csv`, w.facilitatorKey);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toContain('.csv');
    const buf = Buffer.from(await res.arrayBuffer());
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(buf.toString('utf8').slice(1), { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(5);
    expect(rows[0]).toMatchObject({
      Rank: '1',
      Barrier: texts[0],
      Bone: 'People',
      Dots: '15',
      Supporters: '5',
      'Share of voters': '100%',
      Control: 'We can influence it',
    });
    expect(rows[1]).toMatchObject({ Rank: '2', Barrier: 'No time', Dots: '10' });
    // a formula-looking note is neutralised for spreadsheets
    expect(rows.find((r) => r.Barrier.includes('cmd'))!.Barrier).toBe(`'${texts[1]}`);
  });

  it('JSON of the whole workshop matches its versioned schema and the board', async () => {
    const { w, fac } = await finishedWorkshop();
    const json = await (await get(`/api/workshops/${w.code}/export/workshop.json`, w.facilitatorKey)).json();
    const x = workshopExportSchema.parse(json);
    expect(x.version).toBe(EXPORT_VERSION);
    expect(x.notes).toEqual(fac.board().notes);
    expect(x.results).toEqual(fac.board().tally);
    expect(x.participants).toBe(5);
    expect(x.voters).toBe(5);
    expect(x.actions).toHaveLength(1);
    // 3 NHS and 2 without a group: Other would hold 2, so NHS is folded in too
    expect(x.breakdown!.groups).toEqual(['Other']);
  });

  it('the Markdown report has the ranking, bone weights, breakdown, control tags and actions', async () => {
    const { w } = await finishedWorkshop();
    const md = await (await get(`/api/workshops/${w.code}/export/report.md`, w.facilitatorKey)).text();
    expect(md).toContain('# Partnership away-day, "spring"');
    expect(md).toContain('## Consensus ranking');
    expect(md).toMatch(/\| 1 \| Consultants dominate, "always" \| People \| 15 \| 5 \|/);
    expect(md).toContain('| Resources | 10 | 40% |');
    expect(md).toContain('## Dots by group');
    expect(md).toContain('We can influence it');
    expect(md).toContain('| Rotate who chairs | Partnership board | Next meeting |');
  });

  it('the fishbone as SVG (escaped, weighted) and as a PNG that decodes', async () => {
    const { w, texts } = await finishedWorkshop();
    const svgRes = await get(`/api/workshops/${w.code}/export/fishbone.svg`, w.facilitatorKey);
    expect(svgRes.headers.get('content-type')).toContain('image/svg+xml');
    const svg = await svgRes.text();
    expect(svg).toContain('Partnership doesn&apos;t work');
    expect(svg).toContain('&quot;always&quot;');
    expect(svg).toContain('60% of dots'); // People holds 15 of 25 dots
    expect(svg).not.toContain('<script');
    expect(texts.length).toBe(5);
    const png = Buffer.from(await (await get(`/api/workshops/${w.code}/export/fishbone.png`, w.facilitatorKey)).arrayBuffer());
    const img = PNG.sync.read(png);
    const width = Number(/width="(\d+)"/.exec(svg)![1]);
    const height = Number(/height="(\d+)"/.exec(svg)![1]);
    expect([img.width, img.height]).toEqual([width, height]);
    expect(img.width).toBe(1600);
    // not a blank picture: some pixels carry the brand blue of the spine and labels
    let blue = 0;
    for (let i = 0; i < img.data.length; i += 4) if (img.data[i] === 0x12 && img.data[i + 1] === 0x35 && img.data[i + 2] === 0x5b) blue++;
    expect(blue).toBeGreaterThan(1000);
  });

  it('nothing in any export identifies anyone', async () => {
    const { w, people, workshopId } = await finishedWorkshop();
    const secrets = people.flatMap((p) => [p.token!, participantId(workshopId, p.token!), p.socket.id!]);
    for (const kind of ['ranking.csv', 'workshop.json', 'report.md', 'fishbone.svg', 'fishbone.png']) {
      const body = await (await get(`/api/workshops/${w.code}/export/${kind}`, w.facilitatorKey)).text();
      for (const s of secrets) expect(body).not.toContain(s);
    }
  });
});

describe('history: import, duplicate, delete, retention', () => {
  it('a JSON export imports back as a new workshop', async () => {
    const { w, fac } = await finishedWorkshop();
    const json = await (await get(`/api/workshops/${w.code}/export/workshop.json`, w.facilitatorKey)).json();
    const res = await fetch(`${server.url}/api/workshops/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(json),
    });
    expect(res.status).toBe(201);
    const copy = await res.json();
    expect(copy.code).not.toBe(w.code);
    const fac2 = await TestClient.facilitator(server.url, copy.code, copy.facilitatorKey);
    expect(fac2.board().notes).toEqual(fac.board().notes);
    expect(fac2.board().tally).toEqual(fac.board().tally);
    expect(fac2.board().actions).toEqual(fac.board().actions);
    expect(fac2.board().meta.phase).toBe('act');
  });

  it('refuses malformed or future-version imports, naming what is wrong', async () => {
    const { w } = await finishedWorkshop();
    const json = await (await get(`/api/workshops/${w.code}/export/workshop.json`, w.facilitatorKey)).json();
    const post = (body: unknown) =>
      fetch(`${server.url}/api/workshops/import`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const cases: Array<[unknown, string]> = [
      [{ hello: 'world' }, 'not a Fishbone Live export'],
      [{ ...json, version: 99 }, 'version 99'],
      [{ ...json, notes: [{ ...json.notes[0], text: '' }] }, 'notes.0.text'],
      [{ ...json, notes: [{ ...json.notes[0], boneId: 'nowhere' }] }, 'bone "nowhere"'],
      [{ ...json, workshop: { ...json.workshop, bones: [] } }, 'workshop.bones'],
    ];
    const before = server.store.db.prepare('SELECT COUNT(*) FROM workshops').pluck().get();
    for (const [body, what] of cases) {
      const res = await post(body);
      expect(res.status).toBe(400);
      const j = await res.json();
      expect(j).toMatchObject({ ok: false, code: 'bad_request' });
      expect(j.message).toContain(what);
    }
    expect(server.store.db.prepare('SELECT COUNT(*) FROM workshops').pluck().get()).toBe(before);
  });

  it('duplicates a workshop: same bones, prompts and settings, no notes', async () => {
    const w = await createWorkshop(server.url, { title: 'Original', template: 'blank', bones: ['Staff', 'IT'] });
    const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
    await fac.do({ type: 'settings.set', budget: 7, prompts: { lobby: 'Why are we here?' } });
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    await fac.do({ type: 'note.add', boneId: 'bone-1', text: 'Understaffed' });
    const res = await fetch(`${server.url}/api/workshops/${w.code}/duplicate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${w.facilitatorKey}` },
    });
    expect(res.status).toBe(201);
    const copy = await res.json();
    const fac2 = await TestClient.facilitator(server.url, copy.code, copy.facilitatorKey);
    const m = fac2.board().meta;
    expect(m).toMatchObject({
      title: 'Original',
      phase: 'lobby',
      budget: 7,
      prompts: expect.objectContaining({ lobby: 'Why are we here?' }),
    });
    expect(m.bones.map((b) => b.label)).toEqual(['Staff', 'IT']);
    expect(fac2.board().notes).toEqual([]);
  });

  it('deleting: only the owner may; everyone connected is told; the code is gone', async () => {
    const { w, fac, people } = await finishedWorkshop();
    const { link } = await fac.do({ type: 'cofacilitator.create' });
    const del = (key: string) =>
      fetch(`${server.url}/api/workshops/${w.code}`, { method: 'DELETE', headers: { authorization: `Bearer ${key}` } });
    const co = await del(link!.key);
    expect(co.status).toBe(403);
    expect((await co.json()).message).toContain('Only the facilitator who created');
    const ended = new Promise<string>((r) => people[0].socket.on('ended', r));
    expect((await del(w.facilitatorKey)).status).toBe(200);
    expect(await ended).toContain('deleted');
    // That no table keeps a row of it: tests/integration/deleting.test.ts, table by table from the schema.
    expect((await fetch(`${server.url}/api/workshops/${w.code}`)).status).toBe(404);
  });

  it('the retention setting deletes workshops closed more than N days ago', async () => {
    const { w, fac } = await finishedWorkshop();
    await fac.do({ type: 'phase.set', phase: 'closed' });
    expect(await sweepClosed(server.store, server.app.registry, 30, Date.now())).toBe(0);
    expect(await sweepClosed(server.store, server.app.registry, 30, Date.now() + 31 * 86_400_000)).toBeGreaterThanOrEqual(1);
    expect((await fetch(`${server.url}/api/workshops/${w.code}`)).status).toBe(404);
  });
});
