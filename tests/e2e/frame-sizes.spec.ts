import type { Page, WebSocket } from '@playwright/test';
import { COMMAND_BYTES } from '../../shared/padding.ts';
import { createWorkshopApi, expect, facilitatorSocket, phoneContext, test } from './fixtures.ts';

/**
 * Someone on the venue Wi-Fi who can tell phones apart sees the size of every frame each phone
 * sends and receives. After the reveal, a note's length must not point at the phone that wrote
 * it: the frames that carry a participant's own words are the same size whatever the words.
 */
interface Frames {
  sent: string[];
  received: string[];
}

function capture(page: Page): Frames {
  const frames: Frames = { sent: [], received: [] };
  page.on('websocket', (ws: WebSocket) => {
    ws.on('framesent', (f) => typeof f.payload === 'string' && frames.sent.push(f.payload));
    ws.on('framereceived', (f) => typeof f.payload === 'string' && frames.received.push(f.payload));
  });
  return frames;
}

/** socket.io frames: "42<ack id>[event, …]" sent, "42[event, …]" received. Size without the ack id. */
const commandFrames = (f: Frames, type: string) =>
  f.sent.filter((s) => s.includes('"cmd"') && s.includes(`"type":"${type}"`)).map((s) => Buffer.byteLength(s.replace(/^42\d*/, '')));
const selfFrames = (f: Frames) => f.received.filter((s) => s.startsWith('42["self"')).map((s) => Buffer.byteLength(s));

test('a note’s length cannot be read from the size of the frames its phone sends or receives', async ({ browser, server }) => {
  const w = await createWorkshopApi(server.url, { title: 'Frame sizes', silent: true });
  const fac = await facilitatorSocket(server.url, w);
  await fac.do({ type: 'phase.set', phase: 'brainstorm' });
  const texts = ['No', `"${'😀'.repeat(270)}" — a very long note with quotes, emoji and dashes, as long as a note may be`.slice(0, 280)];
  const phones = await Promise.all(texts.map(() => phoneContext(browser, server.url).then((c) => c.newPage())));
  const frames = phones.map(capture);
  for (const [i, page] of phones.entries()) {
    await page.goto(`/w/${w.code}`);
    await page.getByRole('button', { name: /^Processes/ }).click();
    const field = page.getByLabel('Add a note to Processes');
    await field.fill(texts[i]);
    await field.press('Enter');
    await expect(page.locator('article').getByText('Your note')).toHaveCount(1);
  }
  // Each phone then rewords its note: the edit frames are alike too.
  for (const [i, page] of phones.entries()) {
    await page.getByRole('button', { name: /^Edit/ }).click();
    await page.getByRole('textbox', { name: 'Your note' }).fill(i === 0 ? texts[1] : texts[0]);
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.locator('article').getByText(i === 0 ? texts[1].slice(0, 20) : texts[0], { exact: i === 1 })).toBeVisible();
  }

  const adds = frames.map((f) => commandFrames(f, 'note.add'));
  const edits = frames.map((f) => commandFrames(f, 'note.edit'));
  expect(adds.flat()).toHaveLength(2);
  expect(edits.flat()).toHaveLength(2);
  // One size for every command frame: a 2-letter note and a 280-character one alike.
  for (const size of [...adds.flat(), ...edits.flat()]) expect(size).toBe(adds[0][0]);
  expect(adds[0][0]).toBeGreaterThanOrEqual(COMMAND_BYTES);
  // The private views each phone received, at the same counts (one note, no dots), are one size.
  const selves = frames.map(selfFrames);
  expect(selves.every((s) => s.length > 0)).toBe(true);
  const sizes = new Set(selves.flat());
  expect([...sizes], `self frame sizes: ${JSON.stringify(selves)}`).toHaveLength(1);
  fac.close();
  await Promise.all(phones.map((p) => p.context().close()));
});
