import { barriers } from '../../shared/templates/barriers.ts';

/**
 * What the room of the away-day at full size (issue 24) writes and how it votes: 150 different
 * notes on the barriers fishbone, 200 dots from 40 people with a clear top five. Pure data, for
 * the scripted workshop (tests/e2e/away-day.ts) and for layout tests.
 */

export const GROUPS = [
  'Adult social care',
  'Acute hospital',
  'Community health',
  'Housing',
  'Voluntary sector',
  'Police',
  'Service users and carers',
];

export const TITLE = 'Barriers to partnership working: the Northshire away-day for health, social care, housing and police';

/** What the room writes: many short and long notes, a few long words, on every bone. */
const STEMS: Record<string, Array<[string | null, string]>> = {
  people: [
    ['roles', 'Consultants chair every meeting and the rest of us wait to be asked'],
    ['roles', 'Unclear roles of the voluntary sector, service users and carers'],
    ['roles', 'Different employment conditions between the trust and the council'],
    ['behaviour', 'Professional identity gets in the way of interprofessional trust'],
    ['behaviour', 'Revert to type as soon as there is a crisis'],
    ['behaviour', 'Poor morale after the last integration failed'],
    ['behaviour', 'No back-up from senior managers when we take a risk together'],
    ['skills', 'Nobody trained in partnership skills'],
    ['skills', 'We know little about what other professions actually do'],
  ],
  structures: [
    [null, 'Accountability for discharge decisions is blurred between the hospital and adult social care'],
    [null, 'Commissioning arrangements change every two years'],
    [null, 'Different boundaries for the trust, the council and the police'],
    [null, 'Partnership fatigue: too many boards with the same people'],
    [null, 'Service users are consulted after the decisions are made'],
    [null, 'Constant restructuring'],
  ],
  processes: [
    [null, 'No agreed outcomes for the partnership as a whole'],
    [null, 'Decisions made outside the meetings'],
    [null, 'Information-sharing agreements take months to sign'],
    [null, 'Referral forms differ between every agency'],
    [null, 'Nobody plans for when things go wrong'],
  ],
  resources: [
    ['money', 'Different funding cycles'],
    ['money', 'Cost shunting between health and social care budgets'],
    ['information', 'Case records cannot be shared between the NHS and the council'],
    ['information', 'Reluctance to share data with the voluntary sector'],
    ['time', 'No time for joint work on top of the day job'],
    ['time', 'Operational pressures always beat change management'],
  ],
  environment: [
    [null, 'Short-term political timescales and funding'],
    [null, 'Competing national targets for each sector'],
    [null, 'A history of unproductive partnership in the county'],
    [null, 'Good-news culture: problems are not reported upwards'],
    [null, 'Uni-professional cultures and allegiances'],
  ],
};

const TAILS = [
  '',
  ' in our area',
  ', which means families tell their story again and again',
  ' and nobody owns the problem once the project funding ends in March',
  ', so the voluntary sector is invited late and treated as a contractor rather than a partner',
];

export interface WrittenNote {
  boneId: string;
  subBoneId: string | null;
  text: string;
}

/** 150 different notes, spread unevenly over the bones as a room writes them. */
export function awayDayNotes(): WrittenNote[] {
  const share: Record<string, number> = { people: 42, structures: 32, processes: 26, resources: 32, environment: 18 };
  const out: WrittenNote[] = [];
  for (const bone of barriers.bones) {
    const stems = STEMS[bone.id];
    for (let k = 0; k < share[bone.id]; k++) {
      const [subBoneId, stem] = stems[k % stems.length];
      const round = Math.floor(k / stems.length);
      const text = round === 0 ? stem : `${stem}${TAILS[round % TAILS.length]} (table ${round + 1})`;
      out.push({ boneId: bone.id, subBoneId, text: text.slice(0, 280) });
    }
  }
  return out;
}

/**
 * Dots the room gives, by the index of the note in awayDayNotes(): a clear top five (29, 28, 20,
 * 15, 12), then a long tail of 1 to 4 dots; 200 dots from 40 people, every other note none.
 */
export const DOTS: Array<[number, number]> = [
  [42, 29], // Structures: Accountability for discharge decisions…
  [0, 28], // People: Consultants chair every meeting…
  [43, 20], // Structures: Commissioning arrangements…
  [100, 15], // Resources: Different funding cycles
  [76, 12], // Processes: Information-sharing agreements…
  ...[3, 7, 12, 20, 30, 50, 55, 60, 66, 80, 90, 104, 110, 120, 130, 134, 140, 145, 5, 15, 25, 35, 47, 70, 85, 95, 115, 125, 136, 148].map(
    (i, k): [number, number] => [i, [4, 4, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1][k]],
  ),
];
// 162 dots so far; seven more notes take the total to 200 (42 notes with dots, 108 without).
DOTS.push(...[9, 18, 38, 62, 74, 112, 128].map((i, k): [number, number] => [i, [6, 6, 6, 5, 5, 5, 5][k]]));
