import { CONTROL_TAG_NAMES } from './control-tags.ts';
import { dotsWord } from './format.ts';

/** The words of the screen page. */
export const screen = {
  pageTitle: (title: string) => `${title} · Projector · Fishbone Live`,
  connecting: 'Connecting to the workshop…',
  failedTitle: 'This screen cannot show the workshop',
  failedHint: (code: string) => `Check the code in the address (${code}) against the one the facilitator gave you.`,
  phases: 'Workshop steps',
  currentPhase: (name: string) => `Now: ${name}`,
  joinHeading: 'Join on your phone',
  scan: 'Scan the QR code',
  orVisit: 'or open',
  qrAlt: (url: string) => `QR code that opens ${url}`,
  people: (n: number) => (n === 1 ? 'person here' : 'people here'),
  peopleLabel: (n: number) => (n === 1 ? '1 participant connected' : `${n} participants connected`),
  silent: 'Silent brainstorm: notes stay hidden until the facilitator reveals them.',
  hiddenTotal: (n: number) => (n === 1 ? '1 note so far' : `${n} notes so far`),
  turnoutHeading: 'Turnout',
  /** The prompt while the facilitators have closed the vote (phones say so too). */
  votingClosed: 'Voting closed. The results come next.',
  votingClosedShort: 'Voting closed',
  votersOf: (voters: number, eligible: number) => `${voters} of ${eligible}`,
  votersWord: 'have voted',
  blind: 'Votes stay hidden from everyone, facilitator included, until the reveal.',
  topBarriers: 'Top barriers',
  dots: dotsWord,
  untagged: 'Not yet marked',
  actions: 'Actions',
  actionWho: 'Who',
  actionWhen: 'By when',
  actionFor: (text: string) => `For: ${text}`,
  noActions: 'No actions recorded yet.',
  roundVote: (round: number, notes: number) => `Round ${round}: vote again on these ${notes} barriers, with fresh dots`,
  focus: {
    page: (page: number, pages: number) => `Page ${page} of ${pages}`,
    next: (bone: string) => `Next: ${bone}`,
    cardsLabel: (bone: string) => `Every note on ${bone}, in full`,
    none: 'No notes on this bone yet.',
  },
  blankLabel: 'The projector is blanked: how to join only',
  tags: CONTROL_TAG_NAMES,
  /** The phones' "within our control?" answers, once the facilitator has shown them. */
  answersLabel: 'The phones’ answers: ',
  answered: (n: number) =>
    n === 1 ? '1 person answered “within our control?” on their phone.' : `${n} people answered “within our control?” on their phones.`,
};
