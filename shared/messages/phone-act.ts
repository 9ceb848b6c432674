/**
 * The phone's words for taking part in Act (issue 13): its own file, so they download with the
 * part of the page that uses them, only once Act begins.
 */
export const phoneAct = {
  controlHeading: 'Within our control?',
  controlIntro:
    'For each top barrier, say what you think. Only the totals are shown, when the facilitator shows them, and only where at least 3 people answered.',
  tooFew: 'Fewer than 3 answers: not shown',
  clear: 'Clear my answer',
  clearLabel: (text: string) => `Clear my answer for '${text}'`,
  yourAnswer: (tag: string) => `Your answer: ${tag}`,
  shownIntro: 'What everyone said (totals only):',
  count: (n: number) => (n === 1 ? '1 person' : `${n} people`),
  answered: (n: number) => (n === 1 ? '1 person answered' : `${n} people answered`),
  noTop: 'The top barriers appear after the reveal.',
  proposeHeading: 'Propose an action',
  proposeLabel: 'An action the group could take',
  proposePlaceholder: 'e.g. A joint training day each quarter',
  proposeSend: 'Propose',
  proposeHint: 'Anonymous: the facilitator sees the words, never who sent them, and several at once.',
  yoursHeading: 'Your proposals',
  state: { waiting: 'Waiting for the facilitator', shown: 'With the facilitator', accepted: 'Now an action' },
};
