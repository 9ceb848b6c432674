import type { Bone, CatalogueItem, Template } from './types.ts';

/** The seed's cause-and-effect diagram of common barriers to partnership (BRIEF.md). */
type Spec = Array<{ id: string; label: string; subs?: Array<{ id: string; label: string; items: string[] }>; items?: string[] }>;

const spec: Spec = [
  {
    id: 'people',
    label: 'People',
    subs: [
      {
        id: 'roles',
        label: 'Roles',
        items: [
          'Power and hierarchy',
          'Different employment conditions',
          'Unclear roles of the voluntary sector, service users and carers',
        ],
      },
      {
        id: 'behaviour',
        label: 'Behaviour',
        items: [
          'Professional identity and interprofessional mistrust',
          'Revert to type',
          'Threatened',
          'Poor morale from past failures',
          'Lack of back-up from above',
        ],
      },
      { id: 'skills', label: 'Skills', items: ['Lack of knowledge of other professions', 'No training in partnership skills'] },
    ],
  },
  {
    id: 'structures',
    label: 'Structures',
    items: [
      'Partnership fatigue',
      'Wrong partners',
      'Poor engagement of local people and service users',
      'Different boundaries',
      "No integration of partnership and partner agencies' activities",
      'Blurred accountabilities',
      'Constant change',
      'Loss of autonomy',
    ],
  },
  {
    id: 'processes',
    label: 'Processes',
    items: [
      'Lack of common goal / agreed outcomes',
      'Flawed decision-making mechanisms',
      'Lack of focus on action',
      'Not planning for when things go wrong',
      'Poor communication',
    ],
  },
  {
    id: 'resources',
    label: 'Resources',
    subs: [
      { id: 'money', label: 'Money', items: ['Different funding cycles', 'Cost shunting'] },
      { id: 'information', label: 'Information', items: ['Lack of integration of information', 'Reluctance to share data'] },
      { id: 'time', label: 'Time', items: ['No time', 'Balance between operational and change management'] },
    ],
  },
  {
    id: 'environment',
    label: 'Environment and culture',
    items: [
      'Short-term political timescales and funding',
      'Competing policy agendas and maze of initiatives',
      'Poor alignment of national targets and standards between sectors',
      'Government departments remain entirely separate',
      "'Good news' imperatives",
      'History of unproductive partnership',
      'Power differences',
      'Different ways of working',
      'Allegiance to uni-professional cultures',
    ],
  },
];

const unintended: Spec[number] = {
  id: 'unintended',
  label: 'Unintended consequences',
  items: ['Tensions at new interfaces', 'Fragmentation of mono-professional networks'],
};

function build(id: string, name: string, specs: Spec): Template {
  const bones: Bone[] = [];
  const catalogue: CatalogueItem[] = [];
  for (const b of specs) {
    bones.push({ id: b.id, label: b.label, subBones: (b.subs ?? []).map((s) => ({ id: s.id, label: s.label })) });
    for (const s of b.subs ?? [])
      s.items.forEach((text, i) => catalogue.push({ id: `${s.id}-${i + 1}`, boneId: b.id, subBoneId: s.id, text }));
    (b.items ?? []).forEach((text, i) => catalogue.push({ id: `${b.id}-${i + 1}`, boneId: b.id, subBoneId: null, text }));
  }
  return { id, name, head: "Partnership doesn't work", bones, catalogue };
}

export const barriers = build('barriers', 'Barriers to partnership working', spec);
export const barriersWithConsequences = build('barriers-6', 'Barriers to partnership, with unintended consequences', [...spec, unintended]);
