export interface SubBone {
  id: string;
  label: string;
}

export interface Bone {
  id: string;
  label: string;
  subBones: SubBone[];
}

/** A common barrier a participant can place with one tap (a "quick-pick"). */
export interface CatalogueItem {
  id: string;
  boneId: string;
  subBoneId: string | null;
  text: string;
}

export interface Template {
  id: string;
  name: string;
  /** The effect at the fish's head. */
  head: string;
  bones: Bone[];
  catalogue: CatalogueItem[];
}
