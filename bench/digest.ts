import { createHash } from 'node:crypto';

/**
 * Pure helpers for the lightweight phones and the convergence check of the big scenarios
 * (event1k, node10k): reading note tags out of an update without applying it, and comparing
 * replicas by content.
 */

/** JSON with object keys sorted at every level, so equal content gives equal text. */
export function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString('base64'));
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const o = value as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
    .join(',')}}`;
}

/** A short fingerprint of some content (sha256 of its canonical JSON, 16 hex digits). */
export const digest = (value: unknown): string => createHash('sha256').update(canonical(value)).digest('hex').slice(0, 16);

const OPEN = Buffer.from('[n ');
const DOT = 0x2e;
const CLOSE = 0x5d;
const MINUS = 0x2d;
const isDigit = (b: number) => b >= 0x30 && b <= 0x39;

/**
 * The note tags ("[n G.K]", bench/client.ts) in a Yjs update's bytes, without decoding it: note
 * texts travel as UTF-8 inside the update, and the tag is ASCII at the end of the text. In order
 * of appearance, each once. A native search for "[n ", then a few bytes read: a light phone does
 * this for every frame, thousands a second.
 */
export function tagsIn(update: Uint8Array): string[] {
  const b = Buffer.isBuffer(update) ? update : Buffer.from(update.buffer, update.byteOffset, update.byteLength);
  const out: string[] = [];
  for (let i = b.indexOf(OPEN); i >= 0; i = b.indexOf(OPEN, i + 3)) {
    let j = i + 3;
    if (b[j] === MINUS) j++;
    const g = j;
    while (isDigit(b[j])) j++;
    if (j === g || b[j] !== DOT) continue;
    const k = ++j;
    while (isDigit(b[j])) j++;
    if (j === k || b[j] !== CLOSE) continue;
    const tag = b.toString('latin1', i + 3, j);
    if (!out.includes(tag)) out.push(tag);
  }
  return out;
}

/** Whether an update's bytes carry the reveal's tally (the `tally` key of the `results` map). */
export const hasTally = (update: Uint8Array): boolean =>
  (Buffer.isBuffer(update) ? update : Buffer.from(update.buffer, update.byteOffset, update.byteLength)).includes('tally');

/** A stable, distinct IPv4 address for simulated phone g (g ≥ -65536), for X-Forwarded-For. */
export function addressOf(g: number): string {
  const n = g + 65_536 + 1;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}
