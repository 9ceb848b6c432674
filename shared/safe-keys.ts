/**
 * Ids and names that come from outside (commands, imports, group names) are hostile until
 * checked. A plain object's key named `__proto__` reaches Object.prototype, so one crafted id
 * could break every request in the process. Two rules, both ends:
 * - an id is letters, digits, `-` and `_`, and never a name that Object.prototype already has;
 * - a record keyed by outside data is made with `dict()` (no prototype) and read with `own()`.
 */

export const ID_MAX = 64;
const ID_PATTERN = /^[A-Za-z0-9_-]+$/;
const RESERVED = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

export const isSafeId = (s: string): boolean => s.length > 0 && s.length <= ID_MAX && ID_PATTERN.test(s) && !RESERVED.has(s);

export const UNSAFE_ID_MESSAGE = `an id is 1-${ID_MAX} letters, digits, - or _, and not a reserved name such as "constructor"`;

/** A record with no prototype: any string is an ordinary key, `__proto__` included. */
export const dict = <V>(): Record<string, V> => Object.create(null) as Record<string, V>;

/** A record's own value for a key, never one inherited from Object.prototype. */
export const own = <V>(record: Record<string, V> | null | undefined, key: string): V | undefined =>
  record && Object.hasOwn(record, key) ? record[key] : undefined;
