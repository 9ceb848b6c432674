import { MIN_PEOPLE } from '../limits.ts';

/**
 * Why the server refused something: the detail that goes into an error's message (core.ts says
 * the sentence around it). Grouped by the error code they complete, because each code's message
 * has its own grammar:
 * - `forbidden` and `invalidMerge` are whole sentences;
 * - `wrongPhase` completes "Not possible in the Vote phase: …";
 * - `badRequest` completes "That request was not understood: …";
 * - `notFound` is the subject of "… is not on the board.".
 */
export const refusals = {
  forbidden: {
    wrongKey: 'That facilitator key is not valid for this workshop.',
    wrongLink: 'That facilitator link is not valid for this workshop.',
    ownerDeletes: 'Only the facilitator who created this workshop can delete it.',
    ownerAddsLinks: 'Only the facilitator who created the workshop can add co-facilitators.',
    ownerRevokesLinks: 'Only the facilitator who created the workshop can revoke co-facilitators.',
    participantsChooseGroups: 'Only participants choose a group.',
    screenOnlyShows: 'The projector screen only shows the board.',
    facilitatorDoesNotVote: 'The facilitator does not vote in this workshop.',
    participantsOnly: 'Only participants do that; the facilitator runs the workshop.',
  },
  invalidMerge: {
    withItself: 'A note cannot be merged with itself.',
    intoMerged: 'That note is already merged into another one: merge into that one instead.',
    heldWithBoard: 'Notes waiting for review merge only with other notes waiting for review.',
  },
  wrongPhase: {
    alreadyThere: 'the workshop is already there',
    stepBackLosesWork: 'that step back would lose work',
    addNotes: 'notes are added while brainstorming',
    editNotes: 'notes are edited while brainstorming',
    withdrawNotes: 'notes are withdrawn while brainstorming',
    mergeNotes: 'notes are merged before voting',
    revealNotes: 'notes are revealed after brainstorming',
    chooseGroup: 'groups are chosen before the reveal',
    agreeActions: 'actions are agreed in the Act phase',
    setDots: 'dots are set before voting opens',
    setGroups: 'groups are set before voting opens',
    switchSilent: 'silent brainstorming is switched in the lobby',
    switchHold: 'holding notes for review is switched before voting',
    placeDots: 'dots are placed while voting is open',
    finishOtherPhase: 'that "I\'ve finished" was for another phase',
    answersShown: 'the answers have been shown, so they are final',
    votingClosed: 'voting is closed for now (the facilitator may reopen it)',
    closeVoting: 'voting is closed or reopened during the vote',
    votingClosedAlready: 'voting is already closed',
    votingOpenAlready: 'voting is already open',
    newRound: 'a new round of voting starts after a reveal',
  },
  badRequest: {
    /** Several nodes: a connection that does not name its workshop cannot be passed to the node holding it. */
    joinWithoutCode: 'another node holds this workshop: connect with ?w=CODE in the address so the connection reaches it',
    unknownPick: 'that common barrier is not in this template',
    groupNotListed: 'that group is not on the list',
    budgetRange: (max: number) => `the budget is 1 to ${max} dots`,
    capRange: 'the per-note cap is 1 to the budget',
    zeroDelta: 'delta must not be 0',
    timerRange: 'a timer runs 1 to 60 minutes',
    noTimer: 'no timer is set',
    timerNotRunning: 'the timer is not running',
    timerNotPaused: 'the timer is not paused',
    screenNothing: 'say what the projector should show (mode, focus or auto)',
    autoNeedsFocus: 'stepping by itself needs a bone in focus',
    noSuchStep: (seq: number) => `there is no step ${seq} to undo (it was undone already, or is too old)`,
    notInRound: "that note is not in this round's vote",
    roundTooFew: (n: number) => `a new round needs at least 2 notes with dots in the last ranking (there ${n === 1 ? 'is 1' : `are ${n}`})`,
    holdNotRemove: 'a note waiting for review is held back, not removed (hold it back and it never reaches the board)',
    unknownEvent: (event: string) => `unknown event "${event}"`,
    stateVectorTooLarge: 'stateVector is too large',
    noRoute: 'no such API route',
    bodyTooLarge: 'the body is too large',
    bodyNotJson: 'the body is not valid JSON',
    protoKey: 'the key "__proto__" is not allowed',
    // Imports: each names the field of the export that is wrong.
    notAnExport: (schema: string) => `schema: this is not a Fishbone Live export (expected "${schema}")`,
    newerExport: (theirs: number, ours: number) =>
      `version: this export is version ${theirs}, from a newer Fishbone Live; this server reads version ${ours}`,
    idTwice: (field: string, id: string) => `${field}: the id "${id}" is used twice`,
    noteOffBones: (noteId: string, boneId: string) => `notes: note ${noteId} is on bone "${boneId}", which the export does not have`,
    strayPick: (noteId: string, pick: string) =>
      `notes: note ${noteId} was picked from "${pick}", which the export's catalogue does not have`,
    itemOffBones: (itemId: string, boneId: string) =>
      `workshop.catalogue: item ${itemId} is on bone "${boneId}", which the export does not have`,
    strayNoteRef: (noteId: string) => `tags/actions: they refer to note ${noteId}, which the export does not have`,
    capOverBudget: 'settings.cap: more than the budget',
    notTopBarrier: 'that barrier is not one of the top barriers',
    alreadyAction: 'that proposal is already an action',
    proposalNotShown: 'that proposal has not been shown yet',
  },
  tooFew: {
    proposals: `No proposals are ready to show. They become ready a few seconds after they are sent, once at least ${MIN_PEOPLE} people have sent some, so that no one's can be told by when it was sent.`,
    answers: `Fewer than ${MIN_PEOPLE} people have answered. Answers are shown once at least ${MIN_PEOPLE} have, so that no one's can be read from the totals.`,
  },
  limitReached: {
    notesPerPerson: (max: number) => `one person can write at most ${max} notes`,
    notesPerWorkshop: (max: number) => `a workshop holds at most ${max} notes`,
    actions: (max: number) => `a workshop holds at most ${max} actions`,
    links: (max: number) => `a workshop has at most ${max} co-facilitator links`,
    proposalsPerPerson: (max: number) => `one person can propose at most ${max} actions`,
    proposalsPerWorkshop: (max: number) => `a workshop holds at most ${max} proposed actions`,
    screens: (max: number) => `a workshop shows on at most ${max} projector screens at once`,
    screensHere: (max: number) => `one place shows a workshop on at most ${max} projector screens at once`,
    churn: (max: number) => `one person can add at most ${max} notes in all, taken back ones included`,
    churnWorkshop: (max: number) => `a workshop can have at most ${max} notes added in all, taken back ones included`,
  },
  changed: {
    shownAgain: 'the note is back on the board already',
    offBoard: 'the note is no longer on the board',
    backAlready: 'a note it took off the board is back already',
    mergedChanged: 'the merged note has changed since',
    movedAgain: 'the note has moved since',
    rewordedAgain: 'the note has been reworded since',
    heldChanged: 'the note waiting for review has changed since',
  },
  notFound: {
    hiddenNote: 'That hidden note',
    noteToMerge: 'A note to merge',
    action: 'That action',
    link: 'That co-facilitator link',
    proposal: 'That proposal',
  },
} as const;
