/**
 * The zone export dates are written in. Workshops have no zone of their own yet, so it is the
 * server's: `TZ` when it names an IANA zone, else Europe/London (the product is for UK
 * partnerships). Read once, when the routes are made.
 */
export const DEFAULT_TIME_ZONE = 'Europe/London';

export function exportTimeZone(tz: string | undefined = process.env.TZ): string {
  // POSIX allows a leading colon (TZ=:Europe/London).
  const name = tz?.replace(/^:/, '').trim();
  if (!name) return DEFAULT_TIME_ZONE;
  try {
    return new Intl.DateTimeFormat('en-GB', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return DEFAULT_TIME_ZONE;
  }
}
