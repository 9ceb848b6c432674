import { barriers, barriersWithConsequences } from './barriers.ts';
import { blank } from './blank.ts';
import { sixM } from './six-m.ts';
import type { Template } from './types.ts';

export type { Bone, CatalogueItem, SubBone, Template } from './types.ts';

export const TEMPLATE_IDS = ['barriers', 'barriers-6', 'six-m', 'blank'] as const;
export type TemplateId = (typeof TEMPLATE_IDS)[number];

export const TEMPLATE_NAMES: Record<TemplateId, string> = {
  barriers: barriers.name,
  'barriers-6': barriersWithConsequences.name,
  'six-m': sixM.name,
  blank: 'Blank fishbone (you name the bones)',
};

export function makeTemplate(id: TemplateId, opts: { bones?: string[]; head?: string } = {}): Template {
  switch (id) {
    case 'barriers':
      return barriers;
    case 'barriers-6':
      return barriersWithConsequences;
    case 'six-m':
      return sixM;
    case 'blank':
      return blank(opts.bones?.length ? opts.bones : undefined, opts.head || undefined);
  }
}
