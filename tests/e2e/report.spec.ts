import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { TestClient, until } from '../support/client.ts';
import { createWorkshopApi, expect, pageWidth, test, type CreatedWorkshop } from './fixtures.ts';
import { seriousViolations } from '../support/axe.ts';

/**
 * The outcomes leave the room: a scripted workshop (socket clients) runs through the reveal and
 * act; the printable report shows its results and prints to an A4 PDF; the facilitator's
 * "Take it away" panel downloads every export with the key in a header.
 */

const TITLE = 'Partnership away-day';
const PDF = '/tmp/report.pdf';

interface Scripted {
  ws: CreatedWorkshop;
  people: TestClient[];
  facilitator: TestClient;
}

/** Six participants (three NHS, three council), four notes, votes, a tag and an action. */
async function scriptedWorkshop(url: string): Promise<Scripted> {
  const ws = await createWorkshopApi(url, { title: TITLE });
  const f = await TestClient.facilitator(url, ws.code, ws.facilitatorKey);
  await f.do({ type: 'settings.set', groups: ['NHS', 'Council'] });
  const people: TestClient[] = [];
  for (let i = 0; i < 6; i++) people.push(await TestClient.participant(url, ws.code));
  await f.do({ type: 'phase.set', phase: 'brainstorm' });
  for (const [i, p] of people.entries()) await p.do({ type: 'profile.set', group: i < 3 ? 'NHS' : 'Council' });
  const [a, b, c, d] = people;
  await a.do({ type: 'note.add', boneId: 'people', subBoneId: 'roles', text: 'Consultants dominate the meetings' });
  await b.do({ type: 'note.add', boneId: 'resources', subBoneId: 'money', text: 'Different funding cycles' });
  await c.do({ type: 'note.add', boneId: 'processes', text: 'No shared goal' });
  await d.do({ type: 'note.add', boneId: 'structures', text: 'Constant reorganisation' });
  await f.do({ type: 'phase.set', phase: 'review' });
  await f.do({ type: 'phase.set', phase: 'vote' });
  await until(() => f.board().notes.length === 4, 'the notes revealed');
  const id = (text: string) => f.board().notes.find((n) => n.text === text)!.id;
  const consultants = id('Consultants dominate the meetings');
  const funding = id('Different funding cycles');
  const goal = id('No shared goal');
  const votes: string[][] = [
    [consultants, consultants, funding],
    [consultants, consultants, goal],
    [consultants, funding],
    [funding, funding, goal],
    [funding, consultants],
    [goal, funding, funding],
  ];
  for (const [i, ballot] of votes.entries()) for (const noteId of ballot) await people[i].do({ type: 'vote.change', noteId, delta: 1 });
  await f.do({ type: 'phase.set', phase: 'reveal' });
  await f.do({ type: 'phase.set', phase: 'act' });
  await f.do({ type: 'act.tag', noteId: consultants, tag: 'control' });
  await f.do({ type: 'act.tag', noteId: funding, tag: 'outside' });
  await f.do({
    type: 'action.add',
    noteId: consultants,
    what: 'Rotate who chairs the partnership meeting',
    who: 'Partnership board',
    when: 'End of March',
  });
  return { ws, people, facilitator: f };
}

const region = (page: Page, name: string) => page.getByRole('region', { name, exact: true });

test('the report shows the results and prints to a clean A4 PDF', async ({ browser, server }) => {
  const { ws, people, facilitator } = await scriptedWorkshop(server.url);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL: server.url });
  const page = await context.newPage();
  try {
    await page.goto(`/w/${ws.code}/report#key=${ws.facilitatorKey}`);
    await expect(page.getByRole('heading', { level: 1, name: TITLE })).toBeVisible();
    // The key leaves the address bar (a printed page's footer shows the address).
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('');

    // The numbers: six took part, six voted, 16 dots, four barriers; the date from the export.
    const fact = (label: string) =>
      page
        .locator('dl > div')
        .filter({ has: page.getByText(label, { exact: true }) })
        .locator('dd');
    await expect(fact('Took part')).toHaveText('6');
    await expect(fact('Voted')).toHaveText('6');
    await expect(fact('Dots placed')).toHaveText('16');
    await expect(fact('Barriers named')).toHaveText('4');
    await expect(fact('Date')).toContainText(String(new Date().getFullYear()));

    // The ranking: every barrier with dots, by dots (funding 7, consultants 6, goal 3); the one
    // without (reorganisation) listed under its bone after the ranking, not ranked.
    const ranking = region(page, 'Consensus ranking').getByRole('row');
    await expect(ranking).toHaveCount(4);
    await expect(ranking.nth(1)).toContainText('Different funding cycles');
    await expect(ranking.nth(2)).toContainText('Consultants dominate the meetings');
    const unvoted = region(page, 'No dots (1 barrier)');
    await expect(unvoted).toContainText('Constant reorganisation');

    // The fishbone with every word: the bones, then each bone with dots in a picture of its own
    // (People, Processes, Resources; Structures got none), the notes' full text in the drawings.
    const pictures = region(page, 'The fishbone').getByRole('img');
    await expect(pictures).toHaveCount(4);
    await expect(pictures.first()).toHaveAttribute('alt', /^Fishbone diagram\. Effect: Partnership doesn't work\./);
    await expect(pictures.nth(1)).toHaveAttribute('alt', /^People, \d+% of dots: 1 barrier/);
    const drawn = decodeURIComponent((await pictures.nth(1).getAttribute('src'))!)
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ');
    expect(drawn).toContain('Consultants dominate the meetings');
    expect(drawn).not.toContain('Constant reorganisation');
    expect(await pictures.nth(1).evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);

    // Per-bone totals: Resources carries most of the weight.
    const weights = region(page, 'Where the weight lies');
    await expect(weights).toContainText('Most of the weight: Resources.');
    await expect(weights.getByRole('row', { name: /^Resources/ })).toContainText('7');
    await expect(weights.getByRole('row', { name: /^People/ })).toContainText('6');
    await expect(weights.getByRole('row', { name: /^All bones/ })).toContainText('16');

    // Dots by group: both groups have three voters, so both are shown.
    const groups = region(page, 'Dots by group');
    // A row per group, a column per top barrier by rank (issue 24: any number of groups fits).
    await expect(groups.getByRole('rowheader', { name: 'NHS' })).toBeVisible();
    await expect(groups.getByRole('rowheader', { name: 'Council' })).toBeVisible();
    await expect(groups.getByRole('columnheader', { name: '#1' })).toBeVisible();
    await expect(groups).toContainText('fewer than 3 people are counted as “Other”');

    // The tagging and the action.
    const tags = region(page, 'What is within our control');
    await expect(tags).toContainText('Within our control');
    await expect(tags).toContainText('Consultants dominate the meetings');
    await expect(tags).toContainText('Outside our control');
    const actions = region(page, 'Actions');
    await expect(actions.getByRole('row', { name: /Rotate who chairs the partnership meeting/ })).toContainText('Partnership board');
    await expect(actions).toContainText('End of March');

    await page.screenshot({ path: '/tmp/report-screen.png', fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);

    // On a facilitator's phone: every table fits, nothing scrolls sideways.
    const size = page.viewportSize();
    await page.setViewportSize({ width: 360, height: 640 });
    expect(await pageWidth(page)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: '/tmp/report-phone.png', fullPage: true });
    await expect(actions).toContainText('Who: Partnership board'); // under what will be done
    await actions.screenshot({ path: '/tmp/report-phone-actions.png' });
    if (size) await page.setViewportSize(size);

    // Printed: a real A4 PDF, its first page rendered to a picture to look at.
    await page.pdf({ path: PDF, format: 'A4' });
    expect(statSync(PDF).size).toBeGreaterThan(10_000);
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', PDF, '/tmp/report-page']);
    const pages = execFileSync('pdfinfo', [PDF]).toString();
    expect(pages).toMatch(/Page size:.*\(A4\)/);

    // Still there once the workshop closes; a reload finds the key this browser remembered.
    await facilitator.do({ type: 'phase.set', phase: 'closed' });
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: TITLE })).toBeVisible();
    await expect(fact('Took part')).toHaveText('6');
    await expect(region(page, 'Actions')).toContainText('Rotate who chairs the partnership meeting');
  } finally {
    people.forEach((p) => p.close());
    facilitator.close();
    await context.close();
  }
});

test('the facilitator takes away the report and every export', async ({ browser, server }) => {
  const { ws, people, facilitator } = await scriptedWorkshop(server.url);
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, baseURL: server.url, acceptDownloads: true });
  const page = await context.newPage();
  try {
    await page.goto(`/w/${ws.code}/facilitate#key=${ws.facilitatorKey}`);
    const panel = region(page, 'Take it away');
    await expect(panel).toBeVisible();

    // Dots by group for the top barriers, with shares.
    const groups = region(page, 'Dots by group');
    await expect(groups.getByRole('rowheader', { name: 'NHS' })).toBeVisible();
    await expect(groups.getByRole('row', { name: /^NHS/ })).toContainText('%');
    await expect(groups.getByRole('list', { name: 'The barriers, by rank' })).toContainText('Consultants dominate the meetings');
    expect(await seriousViolations(page)).toEqual([]);

    // The report opens in a new tab, with the key in its fragment only.
    const [report] = await Promise.all([
      context.waitForEvent('page'),
      panel.getByRole('link', { name: /Open the printable report/ }).click(),
    ]);
    await expect(report.getByRole('heading', { level: 1, name: TITLE })).toBeVisible();
    await expect.poll(() => report.evaluate(() => location.href)).toBe(`${server.url}/w/${ws.code}/report`);
    await report.close();

    // Every download, named by the server, with content.
    const slug = 'partnership-away-day';
    const files = [
      { label: 'Report (Word)', file: 'report.docx', check: (_s: string, b: Buffer) => b.subarray(0, 2).toString() === 'PK' },
      { label: 'Slides (PowerPoint)', file: 'slides.pptx', check: (_s: string, b: Buffer) => b.subarray(0, 2).toString() === 'PK' },
      { label: 'Ranking (CSV)', file: 'ranking.csv', check: (s: string) => s.includes('Consultants dominate the meetings') },
      { label: 'Workshop (JSON)', file: 'workshop.json', check: (s: string) => JSON.parse(s).schema === 'fishbone-live.workshop' },
      { label: 'Report (Markdown)', file: 'report.md', check: (s: string) => s.startsWith(`# ${TITLE}\n`) },
      { label: 'Fishbone (SVG)', file: 'fishbone.svg', check: (s: string) => s.includes('<svg') },
      { label: 'Fishbone (PNG)', file: 'fishbone.png', check: (_s: string, b: Buffer) => b.subarray(1, 4).toString() === 'PNG' },
    ];
    for (const f of files) {
      const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: f.label }).click()]);
      expect(download.suggestedFilename()).toBe(`fishbone-${slug}-${ws.code}.${f.file.split('.')[1]}`);
      const body = readFileSync((await download.path())!);
      expect(body.length).toBeGreaterThan(0);
      expect(f.check(body.toString('utf8'), body)).toBe(true);
      await expect(panel.getByRole('status')).toContainText(`Downloaded fishbone-${slug}-${ws.code}`);
    }

    // A refusal shows the server's own message beside the buttons.
    const message = 'That facilitator key is not valid for this workshop.';
    await page.route('**/export/ranking.csv', (r) =>
      r.fulfill({ status: 403, contentType: 'application/json', body: JSON.stringify({ ok: false, code: 'forbidden', message }) }),
    );
    await panel.getByRole('button', { name: 'Ranking (CSV)' }).click();
    await expect(panel.getByRole('alert')).toHaveText(`Ranking (CSV) could not be downloaded: ${message}`);
  } finally {
    people.forEach((p) => p.close());
    facilitator.close();
    await context.close();
  }
});

test('before the reveal the report says when it will be ready; groups are set in the lobby', async ({ browser, server }) => {
  const ws = await createWorkshopApi(server.url, { title: 'Not yet' });
  const f = await TestClient.facilitator(server.url, ws.code, ws.facilitatorKey);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL: server.url });
  const page = await context.newPage();
  try {
    await page.goto(`/w/${ws.code}/report#key=${ws.facilitatorKey}`);
    await expect(page.getByRole('heading', { name: 'The report is not ready yet' })).toBeVisible();
    await expect(page.getByText('The report is ready after the reveal')).toBeVisible();

    await page.goto(`/w/${ws.code}/facilitate#key=${ws.facilitatorKey}`);
    await expect(region(page, 'Take it away')).toHaveCount(0);
    await page.getByRole('button', { name: 'Use the suggested groups' }).click();
    await expect(page.getByText('Saved: Groups (optional)')).toBeVisible();
    await until(() => f.board().meta.groups.length === 6, 'the groups on the board');
    expect(f.board().meta.groups).toEqual(['NHS', 'Council', 'Housing', 'Voluntary sector', 'Police', 'Service user / carer']);

    // Too long a group is caught before sending, when the facilitator leaves the box.
    await page.getByLabel('Groups, one per line').fill(`NHS\n${'x'.repeat(41)}`);
    await page.getByLabel('Groups, one per line').press('Tab');
    await expect(page.getByRole('alert').first()).toContainText('longer than 40 characters');
  } finally {
    f.close();
    await context.close();
  }
});
