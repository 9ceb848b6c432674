import { longDate, pct } from './format.ts';

/**
 * The words of partnerships (issue 26): the partnership page, the start page's partnership
 * panel, the server's refusals and the partnership's exports. The words every workshop of a
 * partnership shows ("since last time": phone, projector, facilitator) are in since.ts.
 */

/** The server's refusals about a partnership or "since last time" (they complete core.ts's sentences). */
export const seriesRefusals = {
  // bad_request: "That request was not understood: …"
  noLast: 'this workshop has no earlier workshop of its partnership to look back on',
  noLastTop: 'there are no top barriers from last time to answer about',
  notLastTop: "that barrier is not one of last time's top barriers",
  finishedAction: 'that action is done or dropped; only unfinished actions are carried on',
  carriedAlready: 'that action has been carried on already',
  // too_few: a whole sentence
  tooFewAnswers: (answered: number, min: number) =>
    `${answered === 1 ? '1 person has' : `${answered} people have`} answered so far. The answers are shown once at least ${min} people have answered, so that no one's answer can be told apart.`,
  // forbidden: whole sentences
  wrongKey: 'That key is not valid for this partnership.',
  ownerAddsLinks: 'Only the facilitator who created the partnership can add co-facilitators.',
  ownerRevokesLinks: 'Only the facilitator who created the partnership can revoke co-facilitators.',
  ownerDeletes: 'Only the facilitator who created the partnership can delete it.',
  // bad_request, for adding a workshop
  inAPartnership: 'that workshop is in a partnership already',
  closedWorkshop: 'a closed workshop cannot join a partnership',
  // limit_reached
  workshops: (max: number) => `a partnership holds at most ${max} workshops`,
  links: (max: number) => `a partnership has at most ${max} co-facilitator links`,
  notAPartnershipExport: (schema: string) => `schema: this is not a Fishbone Live partnership export (expected "${schema}")`,
  newerExport: (theirs: number, ours: number) =>
    `version: this export is version ${theirs}, from a newer Fishbone Live; this server reads version ${ours}`,
};

/** The partnership page (/p/ID#key=…) and the start page's partnership panel. */
export const partnership = {
  pageTitle: (title: string) => `${title} — partnership`,
  kicker: 'Fishbone Live · Partnership',
  loading: 'Loading the partnership…',
  noKeyTitle: 'This page needs the partnership’s private link',
  noKeyBody: 'Open it with the link you were given when the partnership was made, in a browser that remembers it.',
  failedTitle: 'Cannot open this partnership',
  forget: 'Forget this partnership in this browser',
  network: 'Could not reach the server. Check the connection and try again.',
  keepLink: 'Keep this page’s address private: anyone with it can run this partnership’s workshops and read their outcomes.',
  workshops: {
    heading: 'Workshops',
    none: 'No workshops yet. Start the first one below.',
    date: 'Date',
    title: 'Workshop',
    phase: 'Stage',
    people: 'Took part',
    open: 'Open',
    gone: 'no longer on this server',
    facilitate: (title: string) => `Facilitate ${title}`,
  },
  start: {
    heading: 'Start the next workshop',
    intro: 'It starts from the last one: its lobby shows last time’s top barriers and actions, for the room to rate and for you to update.',
    titleLabel: 'Title of the workshop',
    submit: 'Start the workshop',
    starting: 'Starting…',
    titleRequired: 'Give the workshop a title.',
  },
  add: {
    heading: 'Add a workshop you already ran',
    intro: 'Open it from this browser’s list of your workshops, or paste its join code and its facilitator link.',
    code: 'Join code',
    key: 'Facilitator link (or its key)',
    submit: 'Add to this partnership',
    added: 'Added.',
    yours: 'From this browser',
  },
  moved: {
    heading: 'What moved',
    none: 'Run two workshops of this partnership, each to its reveal, to see what moved between them.',
    bonesHeading: 'Where the weight lies, workshop by workshop',
    bone: 'Bone',
    trendHeading: 'Bone weights over time',
    trendAlt: (n: number) => `Each bone’s share of the dots in each of ${n} workshops`,
    barriersHeading: (then: string, now: string) => `Top barriers: ${then} → ${now}`,
  },
  actions: {
    heading: 'Actions and what became of them',
    none: 'No actions yet.',
    what: 'Action',
    who: 'Who',
    agreed: 'Agreed',
    history: 'Since',
    status: 'Now',
    notSaid: 'not reviewed yet',
    step: (status: string | null, carried: boolean, when: string) => `${when}: ${status ?? 'no status'}${carried ? ', carried on' : ''}`,
  },
  links: {
    heading: 'Co-facilitators',
    intro:
      'A co-facilitator link opens this page and starts workshops in the partnership. Only the link that made the partnership adds or revokes them.',
    add: 'Make a co-facilitator link',
    revoke: 'Revoke',
    made: (date: string) => `Made ${date}`,
    none: 'No co-facilitator links.',
    newLink: 'New link (shown once, copy it now):',
  },
  exports: {
    heading: 'Take it away',
    print: 'Print / Save as PDF',
    json: 'Partnership (JSON, for moving servers)',
    csv: 'Every workshop’s ranking (CSV)',
    svg: 'Trend picture (SVG)',
    png: 'Trend picture (PNG)',
    failed: (message: string) => `The download failed: ${message}`,
  },
  landing: {
    heading: 'Partnerships',
    intro: 'A partnership is a series of workshops: each starts from the last one’s actions and top barriers, and shows what moved.',
    titleLabel: 'Name of the partnership',
    titlePlaceholder: 'e.g. North Locality Health and Care Partnership',
    submit: 'Create a partnership',
    creating: 'Creating…',
    titleRequired: 'Give the partnership a name.',
    yours: 'Your partnerships on this browser',
    importLabel: 'Import a partnership (JSON export)',
    importing: 'Importing…',
  },
  anonymous:
    'Nothing here names anyone: each workshop’s outcome is kept as its room saw it (rankings, shares of dots, counts of 3 or more people), with its actions and their statuses.',
};

/** The partnership's exports: the CSV's columns, the trend picture's words. */
export const partnershipExport = {
  csvHeader: ['Workshop', 'Date', 'Rank', 'Tied', 'Barrier', 'Bone', 'Dots', 'Supporters', 'Share of voters'],
  trendTitle: (title: string) => `${title}: where the weight lies over time`,
  trendAxis: 'Share of dots',
  date: (iso: string, timeZone?: string) => longDate(iso, timeZone),
  share: pct,
};

/** A point on the trend picture's time axis: "Mar 2027". */
export const trendLabel = (iso: string) =>
  new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(iso));
