import { CONTROL_TAG_NAMES } from './control-tags.ts';
import { board } from './board.ts';
import { longDate, pct } from './format.ts';

/** The printable report (/w/CODE/report): A4, so the browser's "Save as PDF" gives the write-up. */
export const report = {
  pageTitle: (title: string) => `${title} — workshop report`,
  loading: 'Preparing the report…',
  noKeyTitle: 'This report needs your private facilitator link',
  noKeyBody:
    'Open the report from the facilitator view, in the browser you facilitate from. This browser does not remember a key for this workshop.',
  failedTitle: 'Cannot open this report',
  failedHint: 'The facilitator link may be mistyped or revoked, or the workshop was deleted.',
  notReadyTitle: 'The report is not ready yet',
  notReadyBody: (phase: string) => `The report is ready after the reveal. The workshop is now in the ${phase} phase.`,
  backToFacilitator: 'Back to the facilitator view',
  print: 'Print / Save as PDF',
  printHint: 'For a PDF, choose "Save as PDF" as the printer. Turn off "Headers and footers" for a clean page.',
  kicker: 'Fishbone Live · Workshop report',
  head: (head: string) => `The problem at the head of the fishbone: ${head}`,
  facts: {
    heading: 'The workshop in numbers',
    date: 'Date',
    participants: 'Took part',
    voters: 'Voted',
    dots: 'Dots placed',
    notes: 'Barriers named',
  },
  date: (iso: string, timeZone?: string) => longDate(iso, timeZone),
  unknown: '—',
  detailsFailed: (message: string) => `The date and head count could not be loaded: ${message}`,
  network: 'Could not reach the server. Check the connection and try again.',
  httpError: (status: number) => `The server answered with status ${status}.`,
  fishbone: {
    heading: 'The fishbone',
    caption: 'Each bone’s share of all dots (the heaviest in green), then each bone’s barriers that received dots.',
    captionAll: 'The bones, then each bone’s barriers.',
  },
  weights: {
    heading: 'Where the weight lies',
    bone: 'Bone',
    notes: 'Barriers',
    dots: 'Dots',
    share: 'Share of dots',
    total: 'All bones',
    heaviest: (labels: string) => `Most of the weight: ${labels}.`,
    and: ' and ',
    noDots: 'No dots were placed.',
  },
  rounds: {
    heading: (round: number, notes: number) => `Round ${round}: the top ${notes} again`,
    intro: (budget: number, voters: number) =>
      `A later round of voting on these barriers only, with ${budget} fresh ${budget === 1 ? 'dot' : 'dots'} each; ${voters === 1 ? '1 person' : `${voters} people`} voted.`,
  },
  ranking: {
    // The table's words are the live ranking's.
    ...board.ranking,
    heading: 'Consensus ranking',
    explain: 'Ranked by dots; ties broken by how many different people backed a barrier. “=” marks a shared rank.',
    none: 'No barriers were on the board.',
    /** The barriers no one put a dot on: listed by bone after the ranking, not ranked. */
    unvoted: (n: number) => (n === 1 ? 'No dots (1 barrier)' : `No dots (${n} barriers)`),
    unvotedIntro: 'Barriers no one put a dot on, by bone:',
  },
  groups: {
    heading: 'Dots by group',
    explain:
      'Each cell: the dots a group gave a barrier, and what share of that group’s own dots that is. Groups of fewer than 3 people are counted as “Other”, so no one can be singled out.',
    rank: 'Rank',
    note: 'Barrier',
    group: 'Group',
    /** A barrier's column, by its rank ("=3" where shared). */
    column: (rank: string) => (rank.startsWith('=') ? rank : `#${rank}`),
    keyLabel: 'The barriers, by rank',
    cellTitle: (group: string, dots: number, share: number) =>
      `${group}: ${dots === 1 ? '1 dot' : `${dots} dots`}, ${pct(share)} of this group’s dots`,
    total: 'All their dots',
    top: (n: number) => (n === 1 ? 'The top barrier.' : `The top ${n} barriers.`),
    notAsked: 'Participants were not asked for a group.',
    allOther: 'Every group had fewer than 3 voters, so all are counted as “Other” and no breakdown can be shown.',
  },
  tags: {
    heading: 'What is within our control',
    quote: '“Don’t try to tackle things over which you have no control, but acknowledge and live with them.”',
    names: CONTROL_TAG_NAMES,
    untagged: 'Top barriers not marked',
    none: 'No barriers were marked.',
  },
  /** The phones' "within our control?" answers, once the facilitator showed them. */
  answers: {
    heading: 'What the phones said',
    intro: (n: number) =>
      `${n === 1 ? '1 person' : `${n} people`} answered “within our control?” for the top barriers on their phones. The counts, never who said what.`,
    rank: 'Rank',
    note: 'Barrier',
  },
  actions: {
    heading: 'Actions',
    number: 'No.',
    what: 'What will be done',
    who: 'Who',
    when: 'By when',
    barrier: 'For barrier',
    none: 'No actions were recorded.',
  },
  footer: (date: string) => `Made with Fishbone Live on ${date}. Notes and dots are anonymous: this report names no one.`,
};
