import { describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import * as Y from 'yjs';
import { TestClient, until } from '../support/client.ts';
import { cmdId, connectSocket, createWorkshop, join, newToken } from '../support/server.ts';
import { useTestServer } from '../support/use-server.ts';
import { expectRefused } from '../support/refused.ts';

const server = useTestServer();

async function setup(silent = false) {
  const w = await createWorkshop(server.url, { title: 'Bad input', silent });
  const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
  await fac.do({ type: 'phase.set', phase: 'brainstorm' });
  const p = await TestClient.participant(server.url, w.code);
  const { noteId } = await p.do({ type: 'note.add', boneId: 'people', subBoneId: 'roles', text: 'Existing note' });
  // The room hears of a change just after its sender's acknowledgement: let it settle.
  await until(() => p.self?.notes.length === 1 && (silent || fac.board().notes.length === 1), 'setup settled');
  return { w, fac, p, noteId: noteId! };
}

describe('bad input gets a clear error and changes nothing', () => {
  it('HTTP: unknown code, malformed body, missing title, unknown template', async () => {
    const r404 = await fetch(`${server.url}/api/workshops/ZZZZZZ`);
    expect(r404.status).toBe(404);
    expect(await r404.json()).toMatchObject({
      ok: false,
      code: 'unknown_workshop',
      message: expect.stringContaining('No workshop has that code'),
    });
    const post = (body: string) =>
      fetch(`${server.url}/api/workshops`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    for (const [body, what] of [
      ['{not json', 'JSON'],
      ['{}', 'title'],
      ['{"title":"x","template":"nope"}', 'template'],
      [JSON.stringify({ title: 'x'.repeat(500) }), 'title'],
    ]) {
      const res = await post(body);
      expect(res.status).toBe(400);
      const j = await res.json();
      expect(j).toMatchObject({ ok: false, code: 'bad_request' });
      expect(j.message).toContain(what);
    }
    // The title, bones and head follow the notes' text rules: no control characters, lone
    // surrogates or noncharacters; nothing is created.
    for (const [body, what] of [
      [{ title: 'bell\u0007' }, 'title'],
      [{ title: 'non\ufffecharacter' }, 'title'],
      [{ title: 'x', bones: ['People', 'lone \ud800'] }, 'bones'],
      [{ title: 'x', head: 'tab\there' }, 'head'],
      [{ title: 'x', head: 'end\uffff' }, 'head'],
    ] as const) {
      const res = await post(JSON.stringify(body));
      expect(res.status, JSON.stringify(body)).toBe(400);
      const j = await res.json();
      expect(j).toMatchObject({ ok: false, code: 'bad_request' });
      expect(j.message).toContain(what);
    }
    const big = await post(JSON.stringify({ title: 'x', pad: 'y'.repeat(40_000) }));
    expect(big.status).toBe(413);
  });

  it('joining: unknown or malformed code, wrong facilitator key, bad token, twice', async () => {
    const { w } = await setup();
    const s = connectSocket(server.url);
    expect(await join(s, { as: 'participant', code: 'ZZZZZZ', token: newToken() })).toMatchObject({ ok: false, code: 'unknown_workshop' });
    expect(await join(s, { as: 'participant', code: '0O1IL', token: newToken() })).toMatchObject({ ok: false, code: 'unknown_workshop' });
    expect(await join(s, { as: 'facilitator', code: w.code, key: 'forged-key-forged-key' })).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(await join(s, { as: 'participant', code: w.code, token: 'short' })).toMatchObject({ ok: false, code: 'bad_request' });
    expect(await join(s, { as: 'nobody', code: w.code } as never)).toMatchObject({ ok: false, code: 'bad_request' });
    expect(await join(s, { as: 'participant', code: w.code, token: newToken() })).toMatchObject({ ok: true });
    expect(await join(s, { as: 'participant', code: w.code, token: newToken() })).toMatchObject({ ok: false, code: 'already_joined' });
    s.disconnect();
  });

  it('commands before joining are refused', async () => {
    const s = connectSocket(server.url);
    const res = await s.timeout(2000).emitWithAck('cmd', { type: 'note.add', id: cmdId(), boneId: 'people', text: 'hi' });
    expect(res).toMatchObject({ ok: false, code: 'not_joined' });
    s.disconnect();
  });

  it('note text: empty, too long, control characters', async () => {
    const { fac, p } = await setup();
    await expectRefused(p, [fac], { type: 'note.add', boneId: 'people', text: '   ' }, 'empty_text');
    await expectRefused(p, [fac], { type: 'note.add', boneId: 'people', text: 'x'.repeat(281) }, 'too_long');
    await expectRefused(p, [fac], { type: 'note.add', boneId: 'people', text: 'bell\u0007' }, 'invalid_text');
    await expectRefused(p, [fac], { type: 'note.add', boneId: 'people', text: 'line\nbreak' }, 'invalid_text');
    await expectRefused(p, [fac], { type: 'note.add', boneId: 'people', text: 'lone \ud800 surrogate' }, 'invalid_text');
    // Unicode noncharacters (U+FFFE made the SVG export invalid and the PNG a 500).
    for (const nc of ['\ufffe', '\uffff', '\ufdd0', '\u{1fffe}'])
      await expectRefused(p, [fac], { type: 'note.add', boneId: 'people', text: `non${nc}character` }, 'invalid_text');
    // exactly 280 characters (emoji count as one) is fine
    expect(await p.send({ type: 'note.add', boneId: 'people', text: '🐟'.repeat(280) })).toMatchObject({ ok: true });
  });

  it('unknown bone, sub-bone or quick-pick', async () => {
    const { fac, p } = await setup();
    await expectRefused(p, [fac], { type: 'note.add', boneId: 'nope', text: 'x' }, 'unknown_bone');
    await expectRefused(p, [fac], { type: 'note.add', boneId: 'people', subBoneId: 'money', text: 'x' }, 'unknown_bone');
    await expectRefused(p, [fac], { type: 'note.add', boneId: 'people', pick: 'no-such-pick' }, 'bad_request');
  });

  it("editing or deleting someone else's note, or one that does not exist", async () => {
    const { w, fac, noteId } = await setup();
    const other = await TestClient.participant(server.url, w.code);
    await expectRefused(other, [fac], { type: 'note.edit', noteId, text: 'mine now' }, 'not_owner');
    await expectRefused(other, [fac], { type: 'note.delete', noteId }, 'not_owner');
    await expectRefused(other, [fac], { type: 'note.edit', noteId: 'missing', text: 'x' }, 'not_found');
  });

  it('facilitator actions from a participant', async () => {
    const { fac, p, noteId } = await setup();
    await expectRefused(p, [fac], { type: 'phase.set', phase: 'vote' }, 'forbidden');
    await expectRefused(p, [fac], { type: 'note.move', noteId, boneId: 'structures' }, 'forbidden');
    await expectRefused(p, [fac], { type: 'board.lock', locked: true }, 'forbidden');
    await expectRefused(p, [fac], { type: 'settings.set', budget: 20 }, 'forbidden');
    await expectRefused(p, [fac], { type: 'notes.reveal' }, 'forbidden');
  });

  it('the projector screen cannot send commands', async () => {
    const { w, fac } = await setup();
    const screen = await TestClient.screen(server.url, w.code);
    await expectRefused(screen, [fac], { type: 'note.add', boneId: 'people', text: 'x' }, 'forbidden');
  });

  it('malformed commands: wrong types, unknown type, extra fields, bad id, no ack', async () => {
    const { fac, p } = await setup();
    const raw = (payload: unknown) => p.socket.timeout(2000).emitWithAck('cmd', payload as never);
    for (const payload of [
      null,
      42,
      'note.add',
      [],
      { type: 'note.add', id: cmdId(), boneId: 7, text: 'x' },
      { type: 'note.explode', id: cmdId() },
      { type: 'note.add', id: cmdId(), boneId: 'people', text: 'x', author: 'me' },
      { type: 'note.add', id: 'short', boneId: 'people', text: 'x' },
      { type: 'note.add', boneId: 'people', text: 'x' },
      { type: 'vote.change', id: cmdId(), noteId: 'n', delta: 1.5 },
    ]) {
      expect(await raw(payload)).toMatchObject({ ok: false, code: 'bad_request' });
    }
    const untyped = p.socket as unknown as Socket;
    untyped.emit('cmd', { type: 'note.add', id: cmdId(), boneId: 'people', text: 'no ack' });
    // unknown events with an ack get an answer; without one they are ignored; Yjs updates are never read
    expect(await untyped.timeout(2000).emitWithAck('sync-update', new Uint8Array([0, 0]))).toMatchObject({
      ok: false,
      code: 'bad_request',
    });
    untyped.emit('doc', Y.encodeStateAsUpdate(new Y.Doc()));
    await p.sync();
    await fac.sync();
    expect(fac.board().notes.map((n) => n.text)).toEqual(['Existing note']);
  });

  it('oversized messages are cut off by the transport', async () => {
    const { fac, p } = await setup();
    const big = p.socket
      .timeout(1500)
      .emitWithAck('cmd', { type: 'note.add', id: cmdId(), boneId: 'people', text: 'x'.repeat(100_000) } as never);
    await expect(big).rejects.toThrow();
    await fac.sync(); // had the note gone through, it would have reached the facilitator by now
    expect(fac.board().notes).toHaveLength(1);
    expect(p.socket.connected).toBe(false);
  });

  it('an oversized state vector on join is refused', async () => {
    const { w } = await setup();
    const s = connectSocket(server.url);
    expect(await join(s, { as: 'screen', code: w.code, stateVector: new Uint8Array(10_000) })).toMatchObject({
      ok: false,
      code: 'bad_request',
    });
    // a garbage state vector of allowed size still gets a full, correct state
    const res = await join(s, { as: 'screen', code: w.code, stateVector: new Uint8Array([200, 1, 2, 3]) });
    expect(res.ok).toBe(true);
    s.disconnect();
  });

  it('wrong phase: notes in the lobby, votes while brainstorming', async () => {
    const w = await createWorkshop(server.url, { title: 'Phases' });
    const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
    const p = await TestClient.participant(server.url, w.code);
    await expectRefused(p, [fac], { type: 'note.add', boneId: 'people', text: 'early' }, 'wrong_phase', /Lobby/);
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    await expectRefused(p, [fac], { type: 'vote.change', noteId: 'x', delta: 1 }, 'wrong_phase');
  });

  it('a locked board refuses participants but not the facilitator', async () => {
    const { fac, p, noteId } = await setup();
    await fac.do({ type: 'board.lock', locked: true });
    await expectRefused(p, [fac], { type: 'note.add', boneId: 'people', text: 'x' }, 'locked');
    await expectRefused(p, [fac], { type: 'note.edit', noteId, text: 'x' }, 'locked');
    expect(await fac.send({ type: 'note.edit', noteId, text: 'Tidied by facilitator' })).toMatchObject({ ok: true });
  });

  it('a flood of commands is throttled with a clear error, then cut off, while others carry on', async () => {
    const { fac, p } = await setup();
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) => p.send({ type: 'note.edit', noteId: 'missing', text: `spam ${i}` })),
    );
    const answers = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const limited = answers.filter((r) => !r.ok && r.code === 'rate_limited');
    // Past the socket's allowance each event is answered 'rate_limited' (and so are commands past
    // the command allowance); at the 10th event refused the server disconnects it, before the
    // commands it had let through are answered: a flooder loses those.
    expect(limited.length).toBeGreaterThanOrEqual(10);
    expect(answers.every((r) => !r.ok && ['rate_limited', 'not_found'].includes(r.code))).toBe(true);
    expect(limited[0]).toMatchObject({ message: expect.stringContaining('Slow down') });
    await until(() => p.socket.disconnected, 'the flooder cut off');
    expect(await fac.send({ type: 'note.add', boneId: 'structures', text: 'Still works' })).toMatchObject({ ok: true });
  });
});
