/** Number formats shared by the page catalogues. */
export const pct = (share: number) => `${Math.round(share * 100)}%`;
export const dotsWord = (n: number) => (n === 1 ? '1 dot' : `${n} dots`);

/**
 * A date as people write it ("28 November 2026"), in the given IANA time zone; without one, in
 * the reader's own (a browser's).
 */
export const longDate = (iso: string, timeZone?: string) =>
  new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone }).format(new Date(iso));
