import { io, type Socket } from 'socket.io-client';
import type { Command, CommandInput } from '../../shared/commands.ts';
import type { ClientEvents, ServerEvents } from '../../shared/events.ts';
import { createWorkshopApi, expect, phoneContext, smallPhone, test } from './fixtures.ts';

type FacilitatorSocket = Socket<ServerEvents, ClientEvents>;

/** A facilitator without a UI: a socket that joins with the key and sends commands. */
async function facilitator(url: string, code: string, key: string) {
  const socket: FacilitatorSocket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true });
  const joined = await socket.timeout(5000).emitWithAck('join', { as: 'facilitator', code, key });
  expect(joined.ok).toBe(true);
  let n = 0;
  return {
    async send(cmd: CommandInput) {
      const res = await socket.timeout(5000).emitWithAck('cmd', { ...cmd, id: `e2e-fac-${Date.now()}-${++n}` } as Command);
      expect(res).toMatchObject({ ok: true });
    },
    close: () => socket.disconnect(),
  };
}

test('a participant on a 360×640 phone adds a note with the Enter key; another phone sees it', async ({ browser, server }) => {
  const w = await createWorkshopApi(server.url, { title: 'Partnership away-day', silent: false });
  const fac = await facilitator(server.url, w.code, w.facilitatorKey);
  await fac.send({ type: 'phase.set', phase: 'brainstorm' });

  const small = await browser.newContext({ ...smallPhone, baseURL: server.url });
  const first = await small.newPage();
  await first.goto(`/w/${w.code}`);
  await expect(first.getByRole('heading', { level: 1, name: 'Partnership away-day' })).toBeVisible();
  await expect(first.getByText('Brainstorm', { exact: true })).toBeVisible();

  // Pick a bone, then write: the phone keyboard's submit key (Enter) adds the note.
  await first.getByRole('button', { name: /^Processes/ }).click();
  const field = first.getByLabel('Add a note to Processes');
  await field.fill('Nobody owns the referral pathway');
  await field.press('Enter');

  const mine = first.locator('article', { hasText: 'Nobody owns the referral pathway' });
  await expect(mine).toHaveCount(1);
  await expect(mine.getByText('Your note')).toBeVisible();
  await expect(field).toHaveValue('');
  expect(await first.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

  // A second phone: the note is on the board, and it is not theirs.
  const other = await phoneContext(browser, server.url);
  const second = await other.newPage();
  await second.goto(`/w/${w.code}`);
  await expect(second.getByRole('button', { name: /^Processes/ })).toContainText('1 note');
  await second.getByRole('button', { name: /^Processes/ }).click();
  const seen = second.locator('article', { hasText: 'Nobody owns the referral pathway' });
  await expect(seen).toHaveCount(1);
  await expect(seen.getByText('Your note')).toHaveCount(0);
  await expect(seen.getByRole('button')).toHaveCount(0); // no edit or delete on someone else's note

  fac.close();
  await small.close();
  await other.close();
});
