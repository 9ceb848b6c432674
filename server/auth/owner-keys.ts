import { createHmac } from 'node:crypto';

/**
 * The owner key of a workshop an account created: derived from the server's secret, the account
 * and the workshop, so any device the facilitator signs in on can be given it again, while the
 * database keeps only its hash, as for every key (someone with a copy of the database still
 * cannot open the workshop as its facilitator). Same length as a random key (192 bits).
 */
export const ownerKeyFor = (secret: string, accountId: string, workshopId: string): string =>
  createHmac('sha256', secret).update(`owner-key\0${accountId}\0${workshopId}`).digest().subarray(0, 24).toString('base64url');
