import { dotsWord, pct } from './format.ts';

/** Words of the downloadable write-ups (slide deck, Word report, Markdown) beyond the report page's. */
export const exportWords = {
  app: 'Fishbone Live',
  deckSubject: 'Workshop outcomes',
  kicker: 'Workshop outcomes',
  anonymous: 'Notes and dots are anonymous: this deck names no one.',
  factsLine: (facts: Array<{ label: string; value: string }>) => facts.map((f) => `${f.label}: ${f.value}`).join('   ·   '),
  fishbone: {
    heading: 'The fishbone',
    bone: (notes: number, share: number | null, dots: number | null) =>
      [share !== null && dots !== null ? `${pct(share)} of dots` : '', notes === 1 ? '1 barrier' : `${notes} barriers`]
        .filter(Boolean)
        .join(' · '),
    key: 'The thicker and darker a bone, the more of the dots it holds; the heaviest is in green. Each bone’s barriers follow, one slide each.',
    keyBefore: 'Each bone’s barriers follow, one slide each. Dots show once the votes are revealed.',
  },
  bone: {
    summary: (notes: number, share: number | null, dots: number | null) =>
      [
        notes === 1 ? '1 barrier' : `${notes} barriers`,
        share !== null && dots !== null ? `${dotsWord(dots)}, ${pct(share)} of all dots` : '',
      ]
        .filter(Boolean)
        .join(' · '),
    sub: 'Branch',
    none: 'No barriers were placed on this bone.',
    raisedBy: (n: number) => ` (raised by ${n} people)`,
  },
  continued: (title: string, page: number, pages: number) => (pages > 1 ? `${title} (${page} of ${pages})` : title),
  ranking: {
    notRevealed: 'The ranking appears once the votes are revealed.',
    noDots: 'No barrier received a dot.',
    topOf: (shown: number, total: number) =>
      shown < total ? `The top ${shown} of ${total} barriers; the Word report and the ranking CSV list them all.` : '',
  },
  tags: {
    tag: 'Marked as',
    rank: 'Rank',
    note: 'Barrier',
    notMarked: 'Not marked',
  },
  /** The Markdown write-up: its headings are the report page's (report.ts). */
  markdown: {
    fishbone: (head: string) => `Fishbone: **${head}**`,
    counts: (participants: number, voters: number) => `${participants} participants · ${voters} voted`,
    notRevealed: '_Voting has not been revealed yet._',
    groupsNote: '_Groups of fewer than 3 voters are counted under "Other"._',
    answered: (n: number) => `_${n} answered “within our control?” on their phones (counts only)._`,
    weights: ['Bone', 'Dots', 'Share'],
    ranking: ['Rank', 'Barrier', 'Bone', 'Dots', 'Supporters'],
    group: 'Group',
    groupTotal: 'All their dots',
    answers: ['Rank', 'Barrier'],
    actions: ['What', 'Who', 'By when', 'Barrier'],
  },
  /** The ranking CSV's columns and rounds. */
  csv: {
    columns: ['Round', 'Rank', 'Tied', 'Barrier', 'Bone', 'Dots', 'Supporters', 'Share of voters', 'Raised by', 'Control'],
    phones: (tag: string) => `Phones: ${tag}`,
    firstRound: 'Round 1',
    laterRound: (round: number, notes: number) => `Round ${round}: the top ${notes} again`,
    yes: 'yes',
    no: 'no',
  },
};
