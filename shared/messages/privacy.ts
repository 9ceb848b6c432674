/**
 * What a participant is told is kept about them, in plain words, on the join screen (the phone's
 * lobby and the start page's join form). docs/PRIVACY.md says the same for an organisation.
 */
export const privacy = {
  heading: 'What is kept about you',
  /** The start page folds the words under this. */
  summary: 'No account needed. What is kept about you?',
  points: [
    'You do not sign in, and nobody asks for your name. A nickname, if you choose one, stays on this phone.',
    'Nobody, not even the facilitator, can see who wrote or voted for what. Notes are shown without names.',
    'This phone makes up a random code so that your notes stay yours when you reload. The server keeps who wrote each note and where your dots are only so that you can change your own, and never shows it to anyone.',
    'Everything personal is deleted when the workshop closes: who wrote what, your dots, your group and your answers. The notes, the totals and the agreed actions stay, without names, for the group’s report.',
    'The server’s records of visits keep only part of your internet address, and never what you write.',
  ],
};
