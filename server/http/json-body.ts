import express from 'express';
import { refusals } from '../../shared/messages/refusals.ts';

/** Thrown while parsing a body that has a key named `__proto__` anywhere in it. */
class ProtoKeyError extends SyntaxError {
  constructor() {
    super(refusals.badRequest.protoKey);
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

/** The detail for a body that could not be parsed. */
export const bodyError = (err: { status?: number; message?: string }): string =>
  err.status === 413
    ? refusals.badRequest.bodyTooLarge
    : err.message === refusals.badRequest.protoKey
      ? err.message
      : refusals.badRequest.bodyNotJson;
