import type { Phase } from './phases.ts';

/** Each phase's prompt, from the seed's review questions; the facilitator may edit them. */
export const DEFAULT_PROMPTS: Record<Phase, string> = {
  lobby: 'Does the goal you are trying to pursue really require a partnership approach?',
  brainstorm: 'Circle the specific problems you are encountering: add each barrier to the bone where it belongs.',
  review: 'Are these the barriers you meet? Duplicates are being merged and misplaced notes moved.',
  vote: 'Spend your dots on the barriers that matter most to you.',
  reveal: 'Where do the majority of your problems seem to lie?',
  act: "Tackle the most pressing areas first. Don't try to tackle things over which you have no control, but acknowledge and live with them.",
  closed: 'Thank you. This workshop has closed.',
};
