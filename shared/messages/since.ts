import type { ActionStatus, ChangeAnswer } from '../partnership/series.ts';
import { pct } from './format.ts';

/**
 * "Since last time" (issue 26): the words every workshop of a partnership shows about the one
 * before it, on the phone, the projector, the facilitator's page and the report.
 */

export const STATUS_NAMES: Record<ActionStatus, string> = {
  done: 'Done',
  progress: 'In progress',
  stalled: 'Stalled',
  dropped: 'Dropped',
};

export const CHANGE_NAMES: Record<ChangeAnswer, string> = {
  better: 'Got better',
  same: 'Stayed the same',
  worse: 'Got worse',
};

/** "March", or "March 2026" when it is not the year of `reference`. */
export function monthOf(iso: string, reference?: string): string {
  const d = new Date(iso);
  const sameYear = reference !== undefined && new Date(reference).getUTCFullYear() === d.getUTCFullYear();
  return new Intl.DateTimeFormat('en-GB', { month: 'long', ...(sameYear ? {} : { year: 'numeric' }), timeZone: 'UTC' }).format(d);
}

export const since = {
  heading: 'Since last time',
  partOf: (partnership: string) => `Part of ${partnership}`,
  last: (title: string, month: string) => `Last time: ${title}, ${month}`,
  topHeading: 'Last time’s top barriers',
  actionsHeading: 'Last time’s actions',
  noActions: 'Last time agreed no actions.',
  more: (n: number) => `and ${n} more`,
  noTop: 'Last time’s results were not revealed.',
  rank: (rank: number) => `#${rank}`,
  owner: (who: string, when: string) => [who, when].filter(Boolean).join(' · '),
  // The room's answers
  question: 'Since last time, has this got better, stayed the same or got worse?',
  phoneIntro:
    'Your answers are anonymous: everyone sees only the totals, once the facilitator shows them and at least 3 people have answered.',
  yourAnswer: (answer: string) => `Your answer: ${answer}`,
  clear: 'Clear my answer',
  clearLabel: (text: string) => `Clear my answer for ${text}`,
  answered: (n: number, of: number) => `${n} of ${of} ${of === 1 ? 'person has' : 'people have'} answered`,
  shownAnswered: (n: number) => `${n} people answered.`,
  counts: (better: number, same: number, worse: number) => `${better} better · ${same} the same · ${worse} worse`,
  tooFewHere: 'Fewer than 3 people answered this one: its answers are not shown.',
  blind: 'You see how many have answered, never what. The totals appear on every screen at once when you show them; answering then closes.',
  show: 'Show the room’s answers',
  showQuestion: 'Put the totals on every screen now? Answering then closes.',
  showYes: 'Show them',
  closed: 'The answers are shown: answering has closed.',
  // Actions
  statusLabel: (what: string) => `What became of “${what}”?`,
  notSaid: 'Not said yet',
  status: (s: ActionStatus | null) => (s ? STATUS_NAMES[s] : 'Not said yet'),
  carry: 'Carry on',
  carryLabel: (what: string) => `Carry “${what}” on into this workshop`,
  carried: 'Carried on into this workshop',
  // What moved
  movedHeading: 'What moved',
  boneLine: (label: string, now: number, then: number | null, month: string) =>
    then === null
      ? `${label}: ${pct(now)} of dots, not on the fishbone in ${month}`
      : Math.round(now * 100) === Math.round(then * 100)
        ? `${label}: ${pct(now)} of dots, as in ${month}`
        : `${label}: ${pct(now)} of dots, ${now > then ? 'up' : 'down'} from ${pct(then)} in ${month}`,
  persist: 'Still in the top',
  fresh: 'New in the top',
  gone: 'No longer in the top',
  nowRanked: (rank: number) => `now ranked #${rank}`,
  notRaised: 'not raised this time',
  byPick: 'the same common barrier',
  byMatch: 'matched by the facilitator',
  // Matching free text
  matchHeading: 'Which of today’s barriers were last time’s?',
  matchIntro: 'Common barriers picked from the list match by themselves. Say which of today’s notes are last time’s own words.',
  matchSelect: (text: string) => `Today’s barrier for “${text}”`,
  matchNone: 'Not raised today',
  suggestion: (now: string, then: string) => `Is “${now}” last time’s “${then}”?`,
  matchYes: 'Yes, the same',
};

/** The "since last time" part of the deck, the Word report and the printable report. */
export const sinceWriteup = {
  heading: 'Since last time',
  movedHeading: 'What moved: where the weight lies',
  notRevealed: 'What moved shows once this workshop’s votes are revealed.',
  noEarlierResults: 'No earlier workshop revealed its results, so there is nothing to compare the weights with.',
  barriersHeading: 'Top barriers, then and now',
  change: 'Change',
  then: 'Last time',
  now: 'Now',
  actionsHeading: 'Last time’s actions: what became of them',
  action: 'Action',
  who: 'Who',
  when: 'When',
  became: 'What became of it',
  carriedOn: 'Carried on',
  yes: 'Yes',
  ratingsHeading: 'The room’s view: since last time, has it got better?',
  barrier: 'Barrier last time',
  better: 'Better',
  same: 'The same',
  worse: 'Worse',
  notShown: 'The room’s answers were not shown.',
  /** In a count's cell where fewer than 3 people answered that barrier. */
  tooFew: '—',
  answered: (n: number) => `${n} people answered. “—”: fewer than 3 people answered that barrier, so it shows no counts.`,
  rankText: (rank: number, text: string) => `#${rank} ${text}`,
};
