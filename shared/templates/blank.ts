import type { Template } from './types.ts';

export const BLANK_DEFAULT_BONES = ['Cause 1', 'Cause 2', 'Cause 3', 'Cause 4'];

/** A fishbone whose head and bones the facilitator names. */
export function blank(boneLabels: string[] = BLANK_DEFAULT_BONES, head = 'The problem'): Template {
  return {
    id: 'blank',
    name: 'Blank fishbone',
    head,
    bones: boneLabels.map((label, i) => ({ id: `bone-${i + 1}`, label, subBones: [] })),
    catalogue: [],
  };
}
