import { fromBase64 } from '../../shared/base64.ts';
import type { Received } from './client.ts';

/**
 * The one scan of what a client received, for every anonymity test: each frame as searchable
 * text, with every byte payload decoded to UTF-8 wherever it sits (Yjs updates are base64 in
 * `doc` events and raw bytes in a join's answer), so a note's words are found wherever they travel.
 *
 * Decoding happens before JSON: JSON.stringify would call a Buffer's toJSON first and turn it into
 * an array of numbers, where no word can be found (the blind spot of issue 29).
 */
const utf8 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');

function decoded(v: unknown): unknown {
  if (v instanceof Uint8Array) return utf8(v); // a Buffer is one too
  if (v instanceof ArrayBuffer) return utf8(new Uint8Array(v));
  if (Array.isArray(v)) return v.map(decoded);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decoded(x)]));
  return v;
}

/** One frame as text: its event name and its arguments, bytes decoded. */
export function frameText(r: Received): string {
  const args = r.event === 'doc' ? [utf8(fromBase64(r.args[0] as string))] : r.args;
  return JSON.stringify({ event: r.event, args: decoded(args) });
}

/** Everything in a list of received frames, decoded, one frame a line. */
export const wireText = (received: Received[]): string => received.map(frameText).join('\n');

/** Everything a client has received, decoded. */
export const allText = (c: { received: Received[] }): string => wireText(c.received);
