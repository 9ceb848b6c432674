import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { participantId } from '../../server/workshop/keys.ts';
import { removeDir } from '../support/server.ts';
import { TestClient, until } from '../support/client.ts';
import { createWorkshop } from '../support/server.ts';
import { useTestServer } from '../support/use-server.ts';

/**
 * The slide deck, the Word report and the pictures, opened for real: LibreOffice turns the .pptx
 * and .docx into PDFs (once each, side by side, each with a private profile) and the PDFs' text
 * must hold every top barrier in full and every action; the SVG's text elements hold every
 * note in full. Nothing in any file identifies anyone or shows a note the facilitator hid.
 */

const run = promisify(execFile);
const server = useTestServer();
const dir = mkdtempSync(join(tmpdir(), 'fishbone-export-files-'));
afterAll(() => removeDir(dir));

const TITLE = 'Partnership away-day & "spring" review';
/** A note at the 280-character limit, in words. */
const FULL =
  'Systems and care records are not shared between the hospital trust, the council and the housing associations, ' +
  'so every referral starts again from scratch, people tell their story five times to five professionals, ' +
  'and nobody in the partnership sees the whole picture of any family.';
const NOTES = {
  full: { bone: 'resources', sub: 'information', text: FULL },
  words: { bone: 'processes', sub: null, text: 'Antidisestablishmentarianism in the interprofessional governance arrangements' },
  url: { bone: 'structures', sub: null, text: 'See https://example.org/partnership-board-papers-2026 for the history' },
  marks: { bone: 'environment', sub: null, text: 'Short-term political timescales & <funding> "cliffs"' },
  chairs: { bone: 'people', sub: 'roles', text: 'Consultants dominate the meetings' },
  time: { bone: 'resources', sub: 'time', text: 'No time' },
  quiet: { bone: 'people', sub: null, text: 'Nobody owns the action plan once the away-day ends' },
};
const HIDDEN = 'HIDDENNOTE abusive words about a named colleague';
const ACTIONS = [
  { what: 'Agree a shared records protocol', who: 'Information governance leads', when: 'June 2027', note: 'full' as const },
  {
    what: 'Rotate who chairs the partnership meeting & publish the rota',
    who: 'Partnership board',
    when: 'End of March',
    note: 'chairs' as const,
  },
  { what: 'Write up the away-day for the board paper', who: 'Facilitator', when: 'Next week', note: null },
];

interface Files {
  code: string;
  key: string;
  secrets: string[];
  top: string[];
  pptx: Buffer;
  docx: Buffer;
  svg: string;
  png: Buffer;
  bodies: Map<string, Buffer>;
  pdfText: { pptx: string; docx: string };
}
const files = {} as Files;

const get = (path: string, key?: string) => fetch(server.url + path, { headers: key ? { authorization: `Bearer ${key}` } : {} });

/** Eight people, seven notes and a hidden one, groups, votes, tags and actions. */
async function scripted() {
  const w = await createWorkshop(server.url, { title: TITLE, silent: true });
  const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
  await fac.do({ type: 'settings.set', groups: ['NHS', 'Council'] });
  const people = await Promise.all(Array.from({ length: 8 }, () => TestClient.participant(server.url, w.code)));
  await fac.do({ type: 'phase.set', phase: 'brainstorm' });
  for (const [i, p] of people.entries()) await p.do({ type: 'profile.set', group: i < 4 ? 'NHS' : 'Council' });
  const entries = Object.entries(NOTES);
  for (const [i, [, n]] of entries.entries()) {
    await people[i].do({ type: 'note.add', boneId: n.bone, subBoneId: n.sub, text: n.text });
  }
  await people[7].do({ type: 'note.add', boneId: 'people', text: HIDDEN });
  await fac.do({ type: 'phase.set', phase: 'review' });
  await until(() => fac.board().notes.length === entries.length + 1, 'the notes revealed');
  const id = (text: string) => fac.board().notes.find((n) => n.text === text)!.id;
  await fac.do({ type: 'note.hide', noteId: id(HIDDEN), hidden: true });
  await fac.do({ type: 'phase.set', phase: 'vote' });
  // Dots (a budget of 5): the long note most, then the long words, the address, the chairs and the marks.
  const ballots = [
    [NOTES.full, NOTES.full, NOTES.words, NOTES.url, NOTES.chairs],
    [NOTES.full, NOTES.words, NOTES.url, NOTES.marks],
    [NOTES.full, NOTES.full, NOTES.words],
  ];
  for (const [i, p] of people.entries()) for (const n of ballots[i % 3]) await p.do({ type: 'vote.change', noteId: id(n.text), delta: 1 });
  await fac.do({ type: 'phase.set', phase: 'reveal' });
  await fac.do({ type: 'phase.set', phase: 'act' });
  await fac.do({ type: 'act.tag', noteId: id(FULL), tag: 'influence' });
  await fac.do({ type: 'act.tag', noteId: id(NOTES.marks.text), tag: 'outside' });
  for (const a of ACTIONS)
    await fac.do({ type: 'action.add', noteId: a.note ? id(NOTES[a.note].text) : null, what: a.what, who: a.who, when: a.when });
  const workshopId = server.store.db.prepare('SELECT id FROM workshops WHERE code = ?').pluck().get(w.code) as string;
  const secrets = [HIDDEN, ...people.flatMap((p) => [p.token!, participantId(workshopId, p.token!), p.socket.id!])];
  const topN = fac.board().meta.topN;
  const json = await (await get(`/api/workshops/${w.code}/export/workshop.json`, w.facilitatorKey)).json();
  const top = (json.ranking as Array<{ text: string }>).slice(0, topN).map((r) => r.text);
  people.forEach((p) => p.close());
  fac.close();
  return { code: w.code, key: w.facilitatorKey, secrets, top };
}

/** LibreOffice's PDF of a file, as text (a private profile, so parallel runs do not collide). */
async function pdfText(name: string, body: Buffer): Promise<string> {
  const src = join(dir, name);
  writeFileSync(src, body);
  const profile = join(dir, `profile-${name}`);
  await run('soffice', [`-env:UserInstallation=file://${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, src], {
    timeout: 120_000,
  });
  const pdf = src.replace(/\.\w+$/, '.pdf');
  return (await run('pdftotext', ['-raw', pdf, '-'], { maxBuffer: 32 << 20 })).stdout;
}

/** The XML (and other text) parts of an Office file, unzipped. */
async function parts(body: Buffer): Promise<string> {
  const zip = await JSZip.loadAsync(body);
  const texts = await Promise.all(Object.values(zip.files).map((f) => (f.dir ? '' : f.async('string'))));
  return texts.join('\n');
}

const flat = (s: string) => s.replace(/\s+/g, '');
const unescapeXml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

beforeAll(async () => {
  Object.assign(files, await scripted());
  const bodies = new Map<string, Buffer>();
  for (const kind of ['slides.pptx', 'report.docx', 'fishbone.svg', 'fishbone.png', 'report.md', 'ranking.csv', 'workshop.json']) {
    const res = await get(`/api/workshops/${files.code}/export/${kind}`, files.key);
    expect(res.status, kind).toBe(200);
    bodies.set(kind, Buffer.from(await res.arrayBuffer()));
  }
  files.bodies = bodies;
  files.pptx = bodies.get('slides.pptx')!;
  files.docx = bodies.get('report.docx')!;
  files.svg = bodies.get('fishbone.svg')!.toString('utf8');
  files.png = bodies.get('fishbone.png')!;
  const [pptx, docx] = await Promise.all([pdfText('slides.pptx', files.pptx), pdfText('report.docx', files.docx)]);
  files.pdfText = { pptx, docx };
}, 180_000);

describe('the slide deck and the Word report', () => {
  it('need the facilitator key, and are named and typed for Office', async () => {
    for (const kind of ['slides.pptx', 'report.docx']) {
      expect((await get(`/api/workshops/${files.code}/export/${kind}`)).status).toBe(401);
      expect((await get(`/api/workshops/${files.code}/export/${kind}`, 'not-the-key-at-all')).status).toBe(403);
      const res = await get(`/api/workshops/${files.code}/export/${kind}`, files.key);
      expect(res.headers.get('content-type')).toContain(kind.endsWith('pptx') ? 'presentationml' : 'wordprocessingml');
      expect(res.headers.get('content-disposition')).toBe(
        `attachment; filename="fishbone-partnership-away-day-spring-review-${files.code}.${kind.split('.')[1]}"`,
      );
    }
  });

  it('the deck, opened by LibreOffice, holds every top barrier in full and every action', () => {
    const text = flat(files.pdfText.pptx);
    expect(files.top).toHaveLength(5);
    expect(files.top).toContain(FULL);
    for (const t of files.top) expect(text, t).toContain(flat(t));
    for (const a of ACTIONS) for (const t of [a.what, a.who, a.when]) expect(text, t).toContain(flat(t));
    // The title slide, one slide per bone with its notes, the ranking, the tags and the actions.
    for (const t of [TITLE, 'People', 'Structures', 'Processes', 'Resources', 'Environment and culture', 'Consensus ranking']) {
      expect(text).toContain(flat(t));
    }
    for (const n of Object.values(NOTES)) expect(text, n.text).toContain(flat(n.text));
    expect(text).toContain(flat('What is within our control'));
    expect(text).toContain(flat('We can influence it'));
  });

  it('the Word report, opened by LibreOffice, holds every top barrier in full and every action', () => {
    const text = flat(files.pdfText.docx);
    for (const t of files.top) expect(text, t).toContain(flat(t));
    for (const a of ACTIONS) for (const t of [a.what, a.who, a.when]) expect(text, t).toContain(flat(t));
    for (const t of [TITLE, 'The workshop in numbers', 'Where the weight lies', 'Consensus ranking', 'Dots by group', 'Actions']) {
      expect(text).toContain(flat(t));
    }
  });

  it('the Word report has real headings, header rows and described pictures', async () => {
    const doc = await JSZip.loadAsync(files.docx);
    const xml = await doc.file('word/document.xml')!.async('string');
    expect(xml).toMatch(/<w:pStyle w:val="Heading1"\/>/);
    expect((xml.match(/<w:pStyle w:val="Heading2"\/>/g) ?? []).length).toBeGreaterThanOrEqual(6);
    expect(xml).toContain('<w:tblHeader/>');
    // The overview and one picture per bone with dotted notes, each with a description.
    const pictures = [...xml.matchAll(/<wp:docPr [^>]*descr="([^"]*)"/g)].map((m) => unescapeXml(m[1]));
    expect(pictures.length).toBeGreaterThanOrEqual(5);
    expect(pictures[0]).toContain('Fishbone diagram');
    expect(Object.values(doc.files).filter((f) => !f.dir && f.name.startsWith('word/media/'))).toHaveLength(pictures.length);
  });
});

describe('the pictures', () => {
  it('hold every note in full as text elements, never cut or split', () => {
    expect([...FULL]).toHaveLength(280);
    const texts = [...files.svg.matchAll(/<text\b[^>]*>([\s\S]*?)<\/text>/g)].map((m) =>
      unescapeXml(
        [...m[1].matchAll(/<tspan\b[^>]*>([^<]*)<\/tspan>/g)]
          .map((t) => t[1])
          .join(' ')
          .trim(),
      ),
    );
    for (const n of Object.values(NOTES)) expect(texts, n.text).toContain(n.text);
    expect(files.svg).not.toContain('…');
    expect(files.svg).not.toContain('<script');
  });

  it('the PNG is the SVG drawn to pixels', () => {
    const img = PNG.sync.read(files.png);
    const [, w, h] = /width="(\d+)" height="(\d+)"/.exec(files.svg)!;
    expect([img.width, img.height]).toEqual([Number(w), Number(h)]);
  });
});

describe('nothing identifies anyone', () => {
  it('in any export, the Office files unzipped, nor a note the facilitator hid', async () => {
    for (const [kind, body] of files.bodies) {
      const text = kind.endsWith('pptx') || kind.endsWith('docx') ? await parts(body) : body.toString('utf8');
      for (const s of files.secrets) expect(text, `${kind} holds ${s}`).not.toContain(s);
    }
    for (const t of [files.pdfText.pptx, files.pdfText.docx]) expect(t).not.toContain('HIDDENNOTE');
  });

  it('the Office files name the product as their author, never a person', async () => {
    for (const body of [files.pptx, files.docx]) {
      const core = await (await JSZip.loadAsync(body)).file('docProps/core.xml')!.async('string');
      expect(core).toContain('<dc:creator>Fishbone Live</dc:creator>');
      expect(core).toContain('<cp:lastModifiedBy>Fishbone Live</cp:lastModifiedBy>');
    }
  });
});
