import { boneLabel, type Meta } from '../../../shared/doc.ts';

/** Every place a note can sit: each bone, and each of its sub-bones. */
export interface Place {
  value: string;
  boneId: string;
  subBoneId: string | null;
  label: string;
}

export const placeValue = (boneId: string, subBoneId: string | null) => `${boneId}/${subBoneId ?? ''}`;

export function places(meta: Pick<Meta, 'bones'>): Place[] {
  return meta.bones.flatMap((b) => [
    { value: placeValue(b.id, null), boneId: b.id, subBoneId: null, label: b.label },
    ...b.subBones.map((s) => ({ value: placeValue(b.id, s.id), boneId: b.id, subBoneId: s.id, label: boneLabel(meta, b.id, s.id) })),
  ]);
}
