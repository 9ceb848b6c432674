import express from 'express';

/** Thrown while parsing a body that has a key named `__proto__` anywhere in it. */
export class ProtoKeyError extends SyntaxError {
  constructor() {
    super('the key "__proto__" is not allowed');
  }
}

/**
 * JSON bodies, refusing any `__proto__` key at any depth. JSON.parse itself makes such a key an
 * ordinary property, but whatever later copies it into a plain object sets that object's
 * prototype instead (zod drops it silently); nothing legitimate ever sends one.
 */
export const jsonBody = (limit: string) =>
  express.json({
    limit,
    reviver: (key, value) => {
      if (key === '__proto__') throw new ProtoKeyError();
      return value;
    },
  });

/** The message for a body that could not be parsed. */
export const bodyError = (err: { status?: number; message?: string }): string =>
  err.status === 413 ? 'the body is too large' : err.message === new ProtoKeyError().message ? err.message : 'the body is not valid JSON';
