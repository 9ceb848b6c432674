/** A signed-in facilitator's session, as the server keeps it (the browser holds only its token). */
export interface SessionRow {
  accountId: string;
  /** Shown to the facilitator themselves ("Signed in as …"), nowhere else. */
  name: string;
  email: string;
  createdAt: number;
  expiresAt: number;
}

/** A workshop in an account's list: what "My workshops" shows. */
export interface AccountWorkshop {
  code: string;
  title: string;
  phase: string;
  createdAt: number;
  closedAt: number | null;
}

/**
 * Facilitators' accounts, sessions and the workshops each account created, beside the workshops
 * in the same database (tables in server/store/migrations/, step "facilitators' sign-in"). An
 * account is the provider's (issuer, subject) under a random id of ours; its name and email are
 * kept only on its sessions, which are deleted when they end. Session tokens are stored as their
 * SHA-256. The account-workshop link is deleted with the workshop (ON DELETE CASCADE).
 */
export interface AccountStore {
  /** The account of this provider's subject, made on its first sign-in. */
  account(issuer: string, subject: string, now: number): Promise<string>;
  startSession(tokenHash: string, row: SessionRow): Promise<void>;
  /** The session behind a token, if it has not ended or run out. */
  session(tokenHash: string, now: number): Promise<SessionRow | null>;
  endSession(tokenHash: string): Promise<void>;
  /** Delete every session that has run out. */
  endExpired(now: number): Promise<number>;
  linkWorkshop(accountId: string, workshopId: string, now: number): Promise<void>;
  /** The account's workshops, newest first. */
  workshops(accountId: string): Promise<AccountWorkshop[]>;
  /** The id of the account's workshop with this code, or null (no such workshop, or not this account's). */
  workshopOf(accountId: string, code: string): Promise<string | null>;
}

/** How many workshops "My workshops" lists: the newest. */
export const LISTED_WORKSHOPS = 200;
