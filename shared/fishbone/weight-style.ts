/** How a bone's share of the dots shows on its rib: thicker and darker the heavier it is. */

const LIGHT = [0x7b, 0x8a, 0x99]; // still 3:1 against white, as a graphic must be
const DARK = [0x12, 0x35, 0x5b];
export const PLAIN_RIB = '#34506e';

export function ribStyle(share: number | null, maxShare: number, base: number): { stroke: string; width: number } {
  if (share === null) return { stroke: PLAIN_RIB, width: base };
  const k = maxShare > 0 ? Math.min(1, share / maxShare) : 0;
  const mix = LIGHT.map((l, i) => Math.round(l + (DARK[i] - l) * k));
  return { stroke: `rgb(${mix.join(',')})`, width: base * (0.8 + 4.2 * k) };
}
