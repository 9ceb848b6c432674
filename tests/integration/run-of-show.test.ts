import { describe, expect, it } from 'vitest';
import { DEFAULT_PROMPTS } from '../../shared/prompts.ts';
import { TestClient, until } from '../support/client.ts';
import { connectSocket, createWorkshop, join } from '../support/server.ts';
import { useTestServer } from '../support/use-server.ts';
import { expectRefused } from '../support/refused.ts';

let clock = 1_700_000_000_000;
const server = useTestServer({ now: () => clock });

async function workshop(silent = false) {
  const w = await createWorkshop(server.url, { title: 'Run of show', silent });
  const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
  return { w, fac };
}

describe('phases', () => {
  it('moves forward through every phase, each with the seed prompt', async () => {
    const { fac } = await workshop();
    expect(fac.board().meta.prompts.lobby).toBe('Does the goal you are trying to pursue really require a partnership approach?');
    for (const phase of ['brainstorm', 'review', 'vote', 'reveal', 'act', 'closed'] as const) {
      await fac.do({ type: 'phase.set', phase });
      await until(() => fac.board().meta.phase === phase, phase);
    }
    expect(await fac.send({ type: 'phase.set', phase: 'act' })).toMatchObject({ ok: false, code: 'closed' });
  });

  it('goes back only where nothing is lost', async () => {
    const { w, fac } = await workshop();
    await fac.do({ type: 'phase.set', phase: 'review' });
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    await fac.do({ type: 'phase.set', phase: 'vote' });
    await fac.do({ type: 'phase.set', phase: 'review' }); // no dots yet: voting can be reopened later
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    const p = await TestClient.participant(server.url, w.code);
    const { noteId } = await p.do({ type: 'note.add', boneId: 'people', text: 'A note' });
    await fac.do({ type: 'phase.set', phase: 'vote' });
    await p.do({ type: 'vote.change', noteId: noteId!, delta: 1 });
    // Back to review with a dot down: the dot stays, and counts when voting reopens.
    await fac.do({ type: 'phase.set', phase: 'review' });
    await until(() => p.self?.ballot[noteId!] === 1 && p.self.dotsLeft === 4, 'the dot kept');
    await fac.do({ type: 'phase.set', phase: 'vote' });
    await fac.do({ type: 'phase.set', phase: 'reveal' });
    expect(fac.board().tally?.notes[noteId!]).toEqual({ dots: 1, supporters: 1 });
    await fac.do({ type: 'phase.set', phase: 'act' });
    await fac.do({ type: 'phase.set', phase: 'reveal' });
    expect(await fac.send({ type: 'phase.set', phase: 'reveal' })).toMatchObject({ ok: false, code: 'wrong_phase' });
  });

  it('the facilitator edits prompts per workshop', async () => {
    const { fac } = await workshop();
    await fac.do({ type: 'settings.set', prompts: { brainstorm: 'What gets in the way of joint discharge?' } });
    expect(fac.board().meta.prompts).toMatchObject({ ...DEFAULT_PROMPTS, brainstorm: 'What gets in the way of joint discharge?' });
    expect(await fac.send({ type: 'settings.set', prompts: { vote: '' } })).toMatchObject({ ok: false, code: 'empty_text' });
  });

  it('silent brainstorming is switched in the lobby only', async () => {
    const { fac } = await workshop(true);
    await fac.do({ type: 'settings.set', silent: false });
    await fac.do({ type: 'settings.set', silent: true });
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    expect(await fac.send({ type: 'settings.set', silent: false })).toMatchObject({ ok: false, code: 'wrong_phase' });
  });

  it('moving on from the brainstorm reveals notes still hidden', async () => {
    const { w, fac } = await workshop(true);
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    const p = await TestClient.participant(server.url, w.code);
    await p.do({ type: 'note.add', boneId: 'people', text: 'Hidden until review' });
    await fac.sync(); // a note that was coming would have arrived by now
    expect(fac.board().notes).toHaveLength(0);
    await fac.do({ type: 'phase.set', phase: 'review' });
    await until(() => fac.board().notes.length === 1, 'revealed');
    expect(fac.board().meta.notesRevealed).toBe(true);
  });

  it('moving on from a silent brainstorm where nobody wrote ends the silence too', async () => {
    const { fac } = await workshop(true);
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    await fac.do({ type: 'phase.set', phase: 'review' });
    expect(fac.board().meta.notesRevealed).toBe(true);
    expect(fac.board().notes).toHaveLength(0);
  });
});

describe('review', () => {
  async function reviewWithNotes() {
    const { w, fac } = await workshop(true);
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    const [a, b, c] = await Promise.all([0, 1, 2].map(() => TestClient.participant(server.url, w.code)));
    await a.do({ type: 'note.add', boneId: 'resources', subBoneId: 'time', pick: 'time-1' });
    await b.do({ type: 'note.add', boneId: 'resources', subBoneId: 'time', pick: 'time-1' });
    await c.do({ type: 'note.add', boneId: 'resources', subBoneId: 'time', pick: 'time-1' });
    await a.do({ type: 'note.add', boneId: 'resources', text: 'Nobody has any time' });
    await b.do({ type: 'note.add', boneId: 'people', text: 'Doctors dominate meetings' });
    await fac.do({ type: 'phase.set', phase: 'review' });
    await until(() => fac.board().notes.length === 3, 'revealed');
    const byText = (t: string) => fac.board().notes.find((n) => n.text === t)!;
    return { w, fac, a, b, c, byText };
  }

  it('identical quick-picks from several people become one note "raised by 3"', async () => {
    const { byText, a, b, c } = await reviewWithNotes();
    const noTime = byText('No time');
    expect(noTime.raisedBy).toBe(3);
    for (const p of [a, b, c])
      await until(() => p.self!.notes.some((n) => n.id === noTime.id && !n.hidden), 'each still sees it as theirs');
  });

  it('merging keeps the count of people who raised it; authors still own it and can no longer edit it', async () => {
    const { fac, a, byText } = await reviewWithNotes();
    const target = byText('No time');
    const source = byText('Nobody has any time');
    await fac.do({ type: 'note.merge', noteId: target.id, sourceIds: [source.id], text: 'No time for partnership work' });
    await until(() => fac.board().notes.length === 2, 'merged');
    const merged = fac.board().notes.find((n) => n.id === target.id)!;
    expect(merged).toMatchObject({ text: 'No time for partnership work', raisedBy: 4, merged: true });
    await until(() => a.self!.notes.some((n) => n.id === target.id && n.merged), 'author sees merged note as theirs');
    await a.sync();
    expect(a.self!.notes.some((n) => n.id === source.id)).toBe(false);
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    await expectRefused(a, [fac], { type: 'note.edit', noteId: target.id, text: 'changed' }, 'merged');
  });

  it('refuses merging a note with itself or with a removed note', async () => {
    const { fac, byText } = await reviewWithNotes();
    const t = byText('Doctors dominate meetings');
    await expectRefused(fac, [], { type: 'note.merge', noteId: t.id, sourceIds: [t.id] }, 'invalid_merge');
    const gone = byText('Nobody has any time');
    await fac.do({ type: 'note.delete', noteId: gone.id });
    await expectRefused(fac, [], { type: 'note.merge', noteId: t.id, sourceIds: [gone.id] }, 'not_found');
    expect(fac.board().notes.find((n) => n.id === t.id)!.merged).toBe(false);
  });
});

describe('moderation', () => {
  it('the facilitator hides an abusive note from every screen and can bring it back', async () => {
    const { w, fac } = await workshop();
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    const p = await TestClient.participant(server.url, w.code);
    const other = await TestClient.participant(server.url, w.code);
    const { noteId } = await p.do({ type: 'note.add', boneId: 'people', text: 'An abusive note naming someone' });
    await fac.do({ type: 'phase.set', phase: 'vote' });
    await other.do({ type: 'vote.change', noteId: noteId!, delta: 2 });
    await expectRefused(p, [fac, other], { type: 'note.hide', noteId: noteId!, hidden: true }, 'forbidden');
    await fac.do({ type: 'note.hide', noteId: noteId!, hidden: true });
    await until(() => other.board().notes.length === 0 && p.board().notes.length === 0, 'off every screen');
    await until(() => other.self?.dotsLeft === 5, 'dots given back');
    await until(() => fac.self?.moderated?.length === 1, 'listed for the facilitator only');
    await other.sync();
    expect(other.self!.moderated).toBeUndefined();
    expect(await fac.send({ type: 'note.hide', noteId: noteId!, hidden: true })).toMatchObject({ ok: false, code: 'not_found' });
    await fac.do({ type: 'note.hide', noteId: noteId!, hidden: false });
    await until(() => other.board().notes.length === 1, 'back on every screen');
    await until(() => fac.self?.moderated?.length === 0, 'no longer listed');
    await fac.do({ type: 'note.hide', noteId: noteId!, hidden: true });
    await fac.do({ type: 'phase.set', phase: 'closed' });
    expect(server.store.db.prepare('SELECT COUNT(*) FROM moderated_notes').pluck().get()).toBe(0);
  });
});

describe('timer', () => {
  it('counts down on the server clock; +1 minute, pause and resume; out of range refused', async () => {
    const { w, fac } = await workshop();
    const screen = await TestClient.screen(server.url, w.code);
    expect(await fac.send({ type: 'timer.start', minutes: 0 })).toMatchObject({ ok: false, code: 'bad_request' });
    expect(await fac.send({ type: 'timer.start', minutes: 61 })).toMatchObject({ ok: false, code: 'bad_request' });
    expect(await fac.send({ type: 'timer.pause' })).toMatchObject({ ok: false, code: 'bad_request' });
    await fac.do({ type: 'timer.start', minutes: 5 });
    await until(() => screen.board().meta.timer.state === 'running', 'running everywhere');
    expect(screen.board().meta.timer.endsAt).toBe(clock + 5 * 60_000);
    expect(screen.joinReply!.serverTime).toBe(clock);
    clock += 60_000;
    await fac.do({ type: 'timer.add', minutes: 1 });
    await until(() => screen.board().meta.timer.endsAt === clock + 5 * 60_000, '+1 minute');
    clock += 30_000;
    await fac.do({ type: 'timer.pause' });
    await until(() => screen.board().meta.timer.state === 'paused', 'paused');
    expect(screen.board().meta.timer.remainingMs).toBe(4.5 * 60_000);
    clock += 10 * 60_000;
    await fac.do({ type: 'timer.resume' });
    await until(() => screen.board().meta.timer.endsAt === clock + 4.5 * 60_000, 'resumed');
    await fac.do({ type: 'timer.stop' });
    await until(() => screen.board().meta.timer.state === 'idle', 'stopped');
  });

  it('a phase change ends the timer, so no phase inherits the last one\'s "Time\'s up"; a closed workshop has none', async () => {
    const { w, fac } = await workshop();
    const screen = await TestClient.screen(server.url, w.code);
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    await fac.do({ type: 'timer.start', minutes: 1 });
    clock += 2 * 60_000; // run out: every screen says "Time's up"
    await fac.do({ type: 'phase.set', phase: 'review' });
    await until(() => screen.board().meta.phase === 'review', 'review');
    expect(screen.board().meta.timer).toEqual({ state: 'idle', endsAt: null, remainingMs: 0, durationMs: 0 });
    // A paused timer ends too, and so does one still running at the close.
    await fac.do({ type: 'timer.start', minutes: 5 });
    await fac.do({ type: 'timer.pause' });
    await fac.do({ type: 'phase.set', phase: 'vote' });
    expect(fac.board().meta.timer.state).toBe('idle');
    await fac.do({ type: 'timer.start', minutes: 5 });
    for (const phase of ['reveal', 'act', 'closed'] as const) await fac.do({ type: 'phase.set', phase });
    await until(() => screen.board().meta.phase === 'closed', 'closed');
    expect(screen.board().meta.timer.state).toBe('idle');
    expect(await fac.send({ type: 'timer.start', minutes: 5 })).toMatchObject({ ok: false, code: 'closed' });
  });
});

describe('act', () => {
  it('tags revealed notes and records actions; refuses unknown notes and other phases', async () => {
    const { w, fac } = await workshop();
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    const p = await TestClient.participant(server.url, w.code);
    const { noteId } = await p.do({ type: 'note.add', boneId: 'processes', text: 'Poor communication' });
    expect(await fac.send({ type: 'act.tag', noteId: noteId!, tag: 'control' })).toMatchObject({ ok: false, code: 'wrong_phase' });
    for (const phase of ['vote', 'reveal', 'act'] as const) await fac.do({ type: 'phase.set', phase });
    await fac.do({ type: 'act.tag', noteId: noteId!, tag: 'influence' });
    expect(await fac.send({ type: 'act.tag', noteId: 'hidden-or-missing', tag: 'control' })).toMatchObject({
      ok: false,
      code: 'not_found',
    });
    const { actionId } = await fac.do({
      type: 'action.add',
      noteId: noteId!,
      what: 'Monthly joint bulletin',
      who: 'Housing association comms lead',
      when: 'March',
    });
    expect(await fac.send({ type: 'action.add', what: '', who: '', when: '' })).toMatchObject({ ok: false, code: 'empty_text' });
    await until(() => p.board().actions.length === 1 && p.board().tags[noteId!] === 'influence', 'shown to everyone');
    expect(p.board().actions[0]).toMatchObject({
      what: 'Monthly joint bulletin',
      who: 'Housing association comms lead',
      when: 'March',
      noteId,
    });
    await fac.do({ type: 'action.delete', actionId: actionId! });
    await until(() => p.board().actions.length === 0, 'deleted');
    expect(await p.send({ type: 'action.add', what: 'x', who: '', when: '' })).toMatchObject({ ok: false, code: 'forbidden' });
  });
});

describe('co-facilitator links', () => {
  it('the owner makes a second facilitator link and revokes it; a co-facilitator cannot make more', async () => {
    const { w, fac } = await workshop();
    const { link } = await fac.do({ type: 'cofacilitator.create' });
    expect(link!.key.length).toBeGreaterThanOrEqual(22);
    await until(() => fac.self?.links?.length === 1, 'link listed');
    const co = await TestClient.facilitator(server.url, w.code, link!.key);
    await co.do({ type: 'phase.set', phase: 'brainstorm' });
    expect(await co.send({ type: 'cofacilitator.create' })).toMatchObject({ ok: false, code: 'forbidden' });
    const ended = new Promise<string>((r) => co.socket.on('ended', r));
    await fac.do({ type: 'cofacilitator.revoke', linkId: link!.id });
    expect(await ended).toContain('revoked');
    await until(() => !co.socket.connected, 'disconnected');
    const s = connectSocket(server.url);
    expect(await join(s, { as: 'facilitator', code: w.code, key: link!.key })).toMatchObject({ ok: false, code: 'forbidden' });
    s.disconnect();
    // The key is never stored: the DB holds only hashes and the command log omits it.
    expect(JSON.stringify(server.store.db.prepare('SELECT * FROM commands').all())).not.toContain(link!.key);
    expect(JSON.stringify(server.store.db.prepare('SELECT * FROM facilitator_keys').all())).not.toContain(link!.key);
  });
});
