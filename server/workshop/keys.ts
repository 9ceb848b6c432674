import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** Join codes avoid look-alikes (0/O, 1/I/L) so they can be read off a projector. */
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const CODE_LENGTH = 6;

export const newCode = (): string => Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');

/** Typed codes are forgiving: case, spaces and dashes do not matter. */
export const normalizeCode = (raw: string): string => raw.toUpperCase().replace(/[\s-]/g, '');

export const isWellFormedCode = (code: string): boolean => code.length === CODE_LENGTH && [...code].every((c) => CODE_ALPHABET.includes(c));

/** 192 random bits; only its hash is stored. */
export const newKey = (): string => randomBytes(24).toString('base64url');

export const newId = (bytes = 9): string => randomBytes(bytes).toString('base64url');

export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

export const sameHash = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * A participant is known to the server only by a hash of their browser's token, salted with the
 * workshop id so the same browser cannot be linked across workshops. A changed token is simply
 * someone new.
 */
export const participantId = (workshopId: string, token: string): string => sha256(`${workshopId}:${token}`).slice(0, 32);

/** Yjs client ids are 32-bit unsigned. */
export const newClientId = (): number => randomBytes(4).readUInt32LE(0);
