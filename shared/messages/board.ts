import { pct, dotsWord } from './format.ts';

/** The words of the board drawing and ranking, shared by several pages. */
/** Words of the shared board pieces: the fishbone drawing, the ranking and the bone weights. */
export const board = {
  fishbone: {
    summary: (head: string, bones: number, notes: number) =>
      `Fishbone diagram. Effect: ${head}. ${bones === 1 ? '1 bone' : `${bones} bones`}, ${notes === 1 ? '1 note' : `${notes} notes`} on the board.`,
    summaryHidden: (n: number) => (n === 1 ? ' 1 note still hidden.' : ` ${n} notes still hidden.`),
    summaryHeaviest: (labels: string, share: number) => ` Most of the weight: ${labels} (${pct(share)} of dots).`,
    textHeading: 'The fishbone as text',
    effect: (head: string) => `Effect: ${head}`,
    noNotes: 'No notes yet.',
    general: 'On the bone itself',
    weightBadge: (share: number) => `${pct(share)} of dots`,
    boneAlt: (bone: string, badge: string, notes: number) =>
      `${bone}${badge ? `, ${badge}` : ''}: ${notes === 1 ? '1 barrier' : `${notes} barriers`} as sticky notes, each with its dots.`,
    weightText: (share: number, dots: number) => `${pct(share)} of dots (${dotsWord(dots)})`,
    more: (n: number) => `+${n} more`,
    /** Under a bone of a bounded picture (the PNG, the report's pages): the notes not drawn. */
    moreNotes: (n: number) => `+${n} more ${n === 1 ? 'note' : 'notes'} on this bone, not drawn here`,
    raised: (n: number) => `×${n}`,
    dots: (n: number) => `${n} ●`,
    showAll: (n: number, bone: string) => `Show ${n} more ${n === 1 ? 'note' : 'notes'} on ${bone}`,
    noteName: (text: string, bone: string, raisedBy: number, dots: number | null) =>
      `${text}. On ${bone}.${raisedBy > 1 ? ` Raised by ${raisedBy} people.` : ''}${dots !== null ? ` ${dotsWord(dots)}.` : ''}`,
    noteDetail: (raisedBy: number, dots: number | null) =>
      [raisedBy > 1 ? `raised by ${raisedBy} people` : '', dots !== null ? dotsWord(dots) : ''].filter(Boolean).join(', '),
  },
  ranking: {
    caption: 'Consensus ranking',
    roundCaption: (round: number, notes: number) => (round === 1 ? 'Round 1: consensus ranking' : `Round ${round}: the top ${notes} again`),
    rank: 'Rank',
    note: 'Barrier',
    bone: 'Bone',
    dots: 'Dots',
    supporters: 'Backed by',
    supportersOf: (n: number, share: number) => `${n} (${pct(share)})`,
    supportersTitle: (n: number, share: number) => `${n === 1 ? '1 person' : `${n} people`}, ${pct(share)} of voters`,
    tiedRank: (rank: number) => `=${rank}`,
    tied: 'tied',
    tiedWith: (rank: number) => `Rank ${rank}, tied`,
    raisedBy: (n: number) => `raised by ${n} people`,
    voters: (voters: number, dots: number) =>
      `${voters === 1 ? '1 person' : `${voters} people`} voted, ${dots === 1 ? '1 dot' : `${dots} dots`} in all.`,
    explain: 'Ranked by dots; ties broken by how many different people backed a note. “=” marks a shared rank.',
    dotsLine: (n: number) => dotsWord(n),
    backedLine: (people: number, share: number) => `backed by ${people} (${pct(share)})`,
    moreWithDots: (n: number) => (n === 1 ? '1 more note with dots not shown.' : `${n} more notes with dots not shown.`),
    moreRows: (n: number) => (n === 1 ? '1 more note not shown.' : `${n} more notes not shown.`),
    noTally: 'The ranking appears after the facilitator reveals the votes.',
    noNotes: 'No notes received any dots.',
  },
  weights: {
    heading: 'Where the weight lies',
    heaviest: (labels: string) => `Most of the weight: ${labels}`,
    and: ' and ',
    row: (share: number, dots: number) => `${pct(share)} · ${dotsWord(dots)}`,
    share: (share: number) => pct(share),
    noTally: 'Bone weights appear after the reveal.',
    noDots: 'No dots were placed.',
  },
};
