import type { Template } from './types.ts';

const labels = ['Manpower', 'Methods', 'Machines', 'Materials', 'Measurement', 'Environment'];

/** The classic six-sigma 6M fishbone the seed's method comes from. */
export const sixM: Template = {
  id: 'six-m',
  name: 'Classic 6M',
  head: 'The problem',
  bones: labels.map((label) => ({ id: label.toLowerCase(), label, subBones: [] })),
  catalogue: [],
};
