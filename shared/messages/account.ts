/** The words of facilitators' sign-in: the start page's account panel and "My workshops", the facilitator page without a key. */
export const account = {
  heading: 'Your work account',
  signIn: 'Sign in with your work account',
  signOut: 'Sign out',
  signingOut: 'Signing out…',
  signedInAs: (name: string, email: string) => (name && name !== email ? `Signed in as ${name} (${email})` : `Signed in as ${email}`),
  why: 'Signed in, your workshops follow you to any computer you sign in on.',
  requiredToCreate: 'On this server, facilitators sign in with their work account to create workshops.',
  signInToCreate: 'Sign in to create a workshop',
  /** After coming back from the provider (`?signin=…`). */
  outcome: {
    refused: 'That account cannot sign in here. Use your work account, or ask whoever runs this server to let your account in.',
    failed: 'Signing in did not finish. Try again.',
    unavailable: 'The sign-in service could not be reached just now. Try again in a moment.',
  } as Record<string, string>,
  mine: {
    heading: 'My workshops',
    hint: 'The workshops you created while signed in, on any computer.',
    none: 'None yet: a workshop you create while signed in appears here.',
    loading: 'Loading your workshops…',
    failed: 'Your workshops could not be loaded just now.',
    open: 'Open',
    opening: 'Opening…',
    openLabel: (title: string) => `Open '${title}' as facilitator`,
    closed: 'closed',
  },
  /** The facilitator page opened without its key. */
  fromAccount: {
    checking: 'Checking your work account…',
    signInHint: 'If you created this workshop while signed in, sign in to open it here.',
    notYours: 'This workshop is not one your account created: open it with its facilitator link.',
  },
  network: 'Could not reach the server. Check your connection and try again.',
};
