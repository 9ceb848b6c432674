import { describe, expect, it } from 'vitest';
import { LIVE_SCREEN } from '../../shared/doc.ts';
import { TestClient, until } from '../support/client.ts';
import { useTestServer } from '../support/use-server.ts';
import { room } from '../support/room.ts';

let clock = 1_700_000_000_000;
const server = useTestServer({ now: () => clock });

async function projectorRoom() {
  const { w, fac, screen } = await room(server.url, { screen: true, body: { title: 'Projector', silent: false } });
  return { w, fac, screen: screen! };
}

describe('the projector, as the facilitators set it', () => {
  it('blanks, freezes and comes back live; focuses one bone and steps by itself', async () => {
    const { fac, screen } = await projectorRoom();
    expect(screen.board().meta.screen ?? LIVE_SCREEN).toEqual(LIVE_SCREEN);
    await fac.do({ type: 'screen.set', mode: 'blank' });
    await until(() => screen.board().meta.screen?.mode === 'blank', 'blank');
    await fac.do({ type: 'screen.set', mode: 'frozen' });
    await until(() => screen.board().meta.screen?.mode === 'frozen', 'frozen');
    await fac.do({ type: 'screen.set', mode: 'live' });
    await fac.do({ type: 'screen.set', focus: { boneId: 'resources', page: 0 } });
    await until(() => screen.board().meta.screen?.focus?.boneId === 'resources', 'focus');
    expect(screen.board().meta.screen).toEqual({ mode: 'live', focus: { boneId: 'resources', page: 0 }, autoSince: null });
    await fac.do({ type: 'screen.set', auto: true });
    await until(() => screen.board().meta.screen?.autoSince === clock, 'auto');
    // Stepping goes on through a mode change; a new place in focus starts it again from there.
    clock += 30_000;
    await fac.do({ type: 'screen.set', mode: 'blank' });
    await until(() => screen.board().meta.screen?.mode === 'blank', 'blank while stepping');
    expect(screen.board().meta.screen?.autoSince).toBe(clock - 30_000);
    await fac.do({ type: 'screen.set', mode: 'live', focus: { boneId: 'people', page: 2 } });
    await until(() => screen.board().meta.screen?.focus?.page === 2, 'page 2');
    expect(screen.board().meta.screen?.autoSince).toBe(clock);
    await fac.do({ type: 'screen.set', focus: null });
    await until(() => screen.board().meta.screen?.focus === null, 'overview');
    expect(screen.board().meta.screen).toEqual(LIVE_SCREEN);
  });

  it('refuses each kind of bad input with a clear error and changes nothing', async () => {
    const { w, fac, screen } = await projectorRoom();
    await fac.do({ type: 'screen.set', mode: 'blank' });
    const p = await TestClient.participant(server.url, w.code);
    const before = JSON.stringify(fac.board().meta.screen);
    const cases: Array<[object, string, string]> = [
      [{}, 'bad_request', 'say what the projector should show'],
      [{ mode: 'dark' }, 'bad_request', 'mode'],
      [{ focus: { boneId: 'nowhere', page: 0 } }, 'unknown_bone', 'That bone is not on this fishbone.'],
      [{ focus: { boneId: 'people', page: -1 } }, 'bad_request', 'focus.page'],
      [{ focus: { boneId: '__proto__', page: 0 } }, 'bad_request', 'focus.boneId'],
      [{ auto: true }, 'bad_request', 'stepping by itself needs a bone in focus'],
    ];
    for (const [fields, code, message] of cases) {
      expect(await fac.send({ type: 'screen.set', ...fields } as never), JSON.stringify(fields)).toMatchObject({
        ok: false,
        code,
        message: expect.stringContaining(message),
      });
    }
    expect(await p.send({ type: 'screen.set', mode: 'live' })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await screen.send({ type: 'screen.set', mode: 'live' })).toMatchObject({ ok: false, code: 'forbidden' });
    await fac.sync();
    expect(JSON.stringify(fac.board().meta.screen)).toBe(before);
    for (const phase of ['brainstorm', 'review', 'vote', 'reveal', 'act', 'closed'] as const) await fac.do({ type: 'phase.set', phase });
    expect(await fac.send({ type: 'screen.set', mode: 'blank' })).toMatchObject({ ok: false, code: 'closed' });
    // Closing brought the blanked projector back: nobody could unblank it afterwards.
    expect(fac.board().meta.screen).toEqual(LIVE_SCREEN);
  });
});
