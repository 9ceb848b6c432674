import { describe, expect, it } from 'vitest';
import { checkText, commandSchema, createWorkshopSchema, joinSchema } from '../../shared/commands.ts';
import { canMovePhase } from '../../shared/phases.ts';

describe('command validation', () => {
  it('accepts each well-formed command', () => {
    const id = 'abcdefgh12';
    for (const c of [
      { type: 'note.add', id, boneId: 'people', text: 'x' },
      { type: 'note.add', id, boneId: 'people', subBoneId: 'roles', pick: 'roles-1' },
      { type: 'note.edit', id, noteId: 'n', text: 'y' },
      { type: 'vote.change', id, noteId: 'n', delta: -1 },
      { type: 'phase.set', id, phase: 'vote' },
      { type: 'settings.set', id, budget: 5, cap: 3, prompts: { lobby: 'Why?' } },
      { type: 'timer.start', id, minutes: 5 },
      { type: 'act.tag', id, noteId: 'n', tag: null },
      { type: 'cofacilitator.create', id },
    ]) {
      expect(commandSchema.safeParse(c).success, JSON.stringify(c)).toBe(true);
    }
  });

  it('refuses unknown types, extra fields, bad ids and wrong types', () => {
    for (const c of [
      { type: 'note.nuke', id: 'abcdefgh' },
      { type: 'note.add', id: 'abcdefgh', boneId: 'people', text: 'x', authorId: 'me' },
      { type: 'note.add', id: 'short', boneId: 'people', text: 'x' },
      { type: 'note.add', id: 'has spaces!', boneId: 'people', text: 'x' },
      { type: 'vote.change', id: 'abcdefgh', noteId: 'n', delta: '1' },
      { type: 'vote.change', id: 'abcdefgh', noteId: 'n', delta: 100 },
      { type: 'phase.set', id: 'abcdefgh', phase: 'party' },
      { type: 'settings.set', id: 'abcdefgh', prompts: { party: 'x' } },
    ]) {
      expect(commandSchema.safeParse(c).success, JSON.stringify(c)).toBe(false);
    }
  });

  it('checks note text: trimmed, 1 to 280 characters, no control characters', () => {
    expect(checkText('  Power and hierarchy ')).toEqual({ ok: true, text: 'Power and hierarchy' });
    expect(checkText(' \t ')).toEqual({ ok: false, code: 'empty_text' });
    expect(checkText('a'.repeat(281))).toEqual({ ok: false, code: 'too_long' });
    expect(checkText('🐟'.repeat(280)).ok).toBe(true);
    expect(checkText('tab\tinside')).toEqual({ ok: false, code: 'invalid_text' });
    expect(checkText('zero\u0000byte')).toEqual({ ok: false, code: 'invalid_text' });
    expect(checkText('\ud83d alone')).toEqual({ ok: false, code: 'invalid_text' });
    expect(checkText('<script>alert(1)</script>')).toEqual({ ok: true, text: '<script>alert(1)</script>' });
  });

  it('join requests and workshop creation', () => {
    expect(joinSchema.safeParse({ as: 'participant', code: 'ABCDEF', token: 'x'.repeat(22) }).success).toBe(true);
    expect(joinSchema.safeParse({ as: 'participant', code: 'ABCDEF', token: 'x'.repeat(21) }).success).toBe(false);
    expect(joinSchema.safeParse({ as: 'admin', code: 'ABCDEF' }).success).toBe(false);
    expect(createWorkshopSchema.parse({ title: ' Away-day ' })).toEqual({ title: 'Away-day', template: 'barriers', silent: true });
    expect(createWorkshopSchema.safeParse({ title: '' }).success).toBe(false);
  });
});

describe('phase moves', () => {
  it('forward always; back only where nothing is lost; closed is final', () => {
    expect(canMovePhase('lobby', 'act')).toBe(true);
    expect(canMovePhase('review', 'brainstorm')).toBe(true);
    // Voting goes back to review whatever the dots: the answer never depends on a tally.
    expect(canMovePhase('vote', 'review')).toBe(true);
    expect(canMovePhase('reveal', 'vote')).toBe(false);
    expect(canMovePhase('act', 'reveal')).toBe(true);
    expect(canMovePhase('closed', 'act')).toBe(false);
    expect(canMovePhase('vote', 'vote')).toBe(false);
  });
});
