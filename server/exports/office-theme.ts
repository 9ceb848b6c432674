/**
 * The plain, accessible look of the slide deck and the Word report: one font everyone has, dark
 * ink on white, and colours that keep at least 4.5:1 contrast on white (hex without '#', as both
 * libraries take them).
 */
export const FONT = 'Arial';
export const INK = '1B1B1B';
export const SOFT = '4A5560';
export const BRAND = '12355B';
export const ACCENT = '0B6E4F';
export const LINE = 'B8C2CC';
export const TAG_COLOURS = { control: ACCENT, influence: '8A4B00', outside: SOFT } as const;
