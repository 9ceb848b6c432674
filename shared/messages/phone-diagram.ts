import { pct } from './format.ts';

/**
 * The phone's words for its fishbone diagram (issue 13): its own file, so they download with
 * the diagram, only when someone opens it.
 */
export const phoneDiagram = {
  heading: 'The fishbone',
  effect: 'Effect',
  intro: 'Tap a bone to read its notes full screen. Step or swipe between bones.',
  openBone: (label: string, count: string) => `${label}: ${count}. Open`,
  weight: (dots: number, share: number) => `${dots === 1 ? '1 dot' : `${dots} dots`} · ${pct(share)}`,
  heaviest: 'Most of the weight',
  previous: (label: string) => `Previous bone: ${label}`,
  next: (label: string) => `Next bone: ${label}`,
  close: 'Back to the diagram',
  position: (i: number, n: number) => `Bone ${i} of ${n}`,
  zoomOut: 'Smaller text',
  zoomIn: 'Larger text',
  zoom: (pctValue: number) => `Text size ${pctValue}%`,
  swipeHint: 'Swipe left or right for the next bone.',
  noNotes: 'No notes on this bone yet.',
  hiddenSoFar: 'Notes stay hidden until the facilitator reveals them; you see only your own.',
};
