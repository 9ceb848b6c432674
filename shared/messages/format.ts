/** Number formats shared by the page catalogues. */
export const pct = (share: number) => `${Math.round(share * 100)}%`;
export const dotsWord = (n: number) => (n === 1 ? '1 dot' : `${n} dots`);
