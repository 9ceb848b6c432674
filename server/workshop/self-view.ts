import type { Breakdown } from '../../shared/breakdown.ts';
import type { OwnNote, SelfView } from '../../shared/events.ts';
import { padSelf, selfSize } from '../../shared/padding.ts';
import { linkIdOf } from './actor.ts';
import { heldView } from './moderation.ts';
import { undoView } from './undo.ts';
import { roundLimits } from './voting.ts';
import type { Workshop } from './workshop.ts';
import { changeSelf } from './since-answers.ts';

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
    const n = h ? null : (w.note(id) ?? p.moderated.get(id));
    if (h) notes.push({ id, boneId: h.boneId, subBoneId: h.subBoneId, text: h.text, hidden: true, merged: false });
    else if (n) {
      const own: OwnNote = { id, boneId: n.boneId, subBoneId: n.subBoneId, hidden: false, merged: n.merged };
      if (!w.note(id)) own.keptOff = true;
      notes.push(own);
    }
  }
  const ballot = Object.fromEntries(p.ballots.get(key) ?? []);
  const view: SelfView = { notes, ballot, dotsLeft: roundLimits(w).budget - p.dotsOf(key), group: p.participants.get(key) ?? null };
  const linkId = linkIdOf(key);
  Object.assign(view, hybridSelf(w, key, linkId !== null));
  if (linkId === null) return Object.assign(view, changeSelf(w, key));
  if (p.breakdown) view.breakdown = JSON.parse(p.breakdown) as Breakdown;
  view.moderated = [...p.moderated.values()];
  view.review = heldView(w);
  view.undo = undoView(w);
  if (p.keys.get(linkId)?.kind === 'owner') {
    view.links = [...p.keys.values()].filter((k) => k.kind === 'co' && !k.revoked).map((k) => ({ id: k.id, createdAt: k.createdAt }));
  }
  return view;
}

/**
 * The hybrid day (issue 13). A participant: the phases in which they said "I've finished",
 * their own proposals, their own control answers. Facilitators: the proposals shown so far,
 * their words only. Nobody else's answer is ever in a view.
 */
function hybridSelf(w: Workshop, key: string, isFacilitator: boolean): Partial<SelfView> {
  const p = w.private;
  const out: Partial<SelfView> = {};
  if (isFacilitator) {
    const shown = [...p.proposals.values()].filter((r) => r.state === 'shown' || r.state === 'accepted').sort((a, b) => a.order - b.order);
    if (shown.length) out.proposals = shown.map((r) => ({ id: r.id, text: r.text, accepted: r.state === 'accepted' }));
    return out;
  }
  const finished = [...p.finished].filter(([, who]) => who.has(key)).map(([phase]) => phase);
  if (finished.length) out.finished = finished;
  const own = [...p.proposals.values()].filter((r) => r.participantId === key).sort((a, b) => a.text.localeCompare(b.text));
  // Ready to show is still waiting, for its author: their view does not move when it is released.
  if (own.length) out.ownProposals = own.map((r) => ({ id: r.id, text: r.text, state: r.state === 'ready' ? 'waiting' : r.state }));
  const answers = p.answers.get(key);
  if (answers?.size) out.control = Object.fromEntries(answers);
  return out;
}

/**
 * The view as it goes on the wire: padded, and never smaller than this person's view was earlier
 * in the same phase. A note the facilitator takes off the board leaves its author's view, and
 * a frame that shrank the moment the room saw it go would point at the phone that wrote it;
 * the floor keeps the size until the phase changes, when everyone's changes at once.
 */
export function wireSelfView(w: Workshop, key: string): SelfView & { pad?: string } {
  const view = selfView(w, key);
  const floors = w.selfFloors(w.phase);
  const size = Math.max(floors.get(key) ?? 0, selfSize(view));
  floors.set(key, size);
  return padSelf(view, size);
}
