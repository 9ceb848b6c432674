import { boneLabel } from '../shared/doc.ts';
import type { Note, Tally } from '../shared/doc.ts';
import type { WorkshopExport } from '../shared/export-schema.ts';
import { boneWeights, rankNotes } from '../shared/ranking.ts';
import { barriers } from '../shared/templates/barriers.ts';

/**
 * A big board's export model, made up but shaped like a real away-day: 60% quick-picks from the
 * seed's catalogue, 40% written notes of 60-280 characters, half of the notes dotted, the top
 * five tagged and given an action. Seeded, so every run builds the same board.
 */
const WRITTEN = [
  'Systems and care records are not shared between the hospital trust, the council and the housing associations, so every referral starts again from scratch and people tell their story five times over to different professionals who never talk to each other',
  'Interprofessional mistrust between consultants and social workers',
  'Nobody owns the partnership action plan once the away-day ends',
  'Commissioning cycles run on different financial years across the NHS and local government, which makes pooled budgets fragile and short-lived',
  'The voluntary sector is invited late, after the decisions that matter have been made',
];

export function bigBoard(count: number): WorkshopExport {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const { bones, catalogue } = barriers;
  const notes: Note[] = Array.from({ length: count }, (_, i) => {
    const pick = rnd() < 0.6 ? catalogue[Math.floor(rnd() * catalogue.length)] : null;
    const bone = pick ? bones.find((b) => b.id === pick.boneId)! : bones[Math.floor(rnd() * bones.length)];
    const sub = pick ? pick.subBoneId : bone.subBones.length && rnd() < 0.5 ? bone.subBones[0].id : null;
    return {
      id: `n${i}`,
      boneId: bone.id,
      subBoneId: sub,
      text: pick ? pick.text : `${WRITTEN[i % WRITTEN.length]} (${i})`,
      pick: pick?.id ?? null,
      raisedBy: rnd() < 0.15 ? 2 + Math.floor(rnd() * 4) : 1,
      merged: false,
    };
  });
  const tally: Tally = { voters: Math.ceil(count * 0.8), dots: 0, notes: {}, bones: {} };
  for (const n of notes) {
    const dots = rnd() < 0.5 ? Math.floor(rnd() * 15) : 0;
    tally.notes[n.id] = { dots, supporters: Math.ceil(dots / 2) };
    tally.bones[n.boneId] = (tally.bones[n.boneId] ?? 0) + dots;
    tally.dots += dots;
  }
  const ranked = rankNotes(notes, tally);
  const meta = { bones };
  return {
    schema: 'fishbone-live.workshop',
    version: 1,
    exportedAt: new Date().toISOString(),
    workshop: {
      title: 'Partnership away-day',
      head: barriers.head,
      template: 'barriers',
      createdAt: new Date().toISOString(),
      phase: 'act',
      settings: { silent: true, budget: 5, cap: 3, facilitatorVotes: false, showRanking: false, topN: 5, groups: [] },
      prompts: {},
      bones,
      catalogue,
    },
    participants: count,
    voters: tally.voters,
    notes,
    results: tally,
    ranking: ranked.map((r) => ({
      rank: r.rank,
      noteId: r.note.id,
      text: r.note.text,
      bone: boneLabel(meta, r.note.boneId, r.note.subBoneId),
      dots: r.dots,
      supporters: r.supporters,
      tied: r.tied,
    })),
    boneWeights: boneWeights(
      bones.map((b) => b.id),
      tally,
    ).map((x) => ({ ...x, label: boneLabel(meta, x.boneId) })),
    breakdown: null,
    tags: Object.fromEntries(ranked.slice(0, 5).map((r, i) => [r.note.id, (['control', 'influence', 'outside'] as const)[i % 3]])),
    actions: ranked
      .slice(0, 5)
      .map((r, i) => ({ id: `a${i}`, noteId: r.note.id, what: `Action ${i + 1}`, who: 'Board', when: 'March', order: i })),
  };
}
