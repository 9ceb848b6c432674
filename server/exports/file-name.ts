/**
 * A download's name: `fishbone-<title>-<CODE>.<ext>`, the title in lower-case words joined by
 * single hyphens, cut after a whole word at 40 characters: never a word cut short or two hyphens
 * in a row where it was cut ("…barriers-to--Y8FEFV").
 */
export function downloadName(title: string, code: string, ext: string): string {
  const words = title
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let slug = '';
  for (const w of words) {
    const next = slug ? `${slug}-${w}` : w;
    if (next.length > 40) {
      // A single word longer than the whole allowance is cut; anything else stops at a word.
      if (!slug) slug = w.slice(0, 40);
      break;
    }
    slug = next;
  }
  return `fishbone-${slug || 'workshop'}-${code}.${ext}`;
}
