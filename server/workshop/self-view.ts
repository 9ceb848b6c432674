import type { Breakdown } from '../../shared/breakdown.ts';
import type { OwnNote, SelfView } from '../../shared/events.ts';
import { linkIdOf } from './actor.ts';
import { heldView } from './moderation.ts';
import { undoView } from './undo.ts';
import { roundLimits } from './rounds.ts';
import type { Workshop } from './workshop.ts';

/**
 * What one person alone learns about themselves: their own notes, their own dots, their group.
 * Facilitators also get the breakdown (after the reveal), the notes they hid, and — the owner
 * link only — the co-facilitator links that still work.
 */
export function selfView(w: Workshop, key: string): SelfView {
  const p = w.private;
  const notes: OwnNote[] = [];
  for (const id of p.notesBy.get(key) ?? []) {
    const h = p.hidden.get(id);
    const n = h ? null : w.note(id);
    if (h) notes.push({ id, boneId: h.boneId, subBoneId: h.subBoneId, text: h.text, hidden: true, merged: false });
    else if (n) notes.push({ id, boneId: n.boneId, subBoneId: n.subBoneId, text: n.text, hidden: false, merged: n.merged });
  }
  const ballot = Object.fromEntries(p.ballots.get(key) ?? []);
  const view: SelfView = { notes, ballot, dotsLeft: roundLimits(w).budget - p.dotsOf(key), group: p.participants.get(key) ?? null };
  const linkId = linkIdOf(key);
  if (linkId === null) return view;
  if (p.breakdown) view.breakdown = JSON.parse(p.breakdown) as Breakdown;
  view.moderated = [...p.moderated.values()];
  view.review = heldView(w);
  view.undo = undoView(w);
  if (p.keys.get(linkId)?.kind === 'owner') {
    view.links = [...p.keys.values()].filter((k) => k.kind === 'co' && !k.revoked).map((k) => ({ id: k.id, createdAt: k.createdAt }));
  }
  return view;
}
