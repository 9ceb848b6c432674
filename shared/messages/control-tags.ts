import type { ControlTag } from '../limits.ts';

/** "Within our control / we can influence it / outside our control": every page and export says them so. */
export const CONTROL_TAG_NAMES: Record<ControlTag, string> = {
  control: 'Within our control',
  influence: 'We can influence it',
  outside: 'Outside our control',
};
