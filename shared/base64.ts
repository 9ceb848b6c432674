/**
 * Yjs updates travel as base64 text in the `doc` event: socket.io encodes a text packet once for
 * a whole room and sends it as one frame, where binary costs two frames per socket, each encoded
 * again (docs/BENCHMARKS.md). Works in browsers and Node (atob/btoa).
 */
export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function fromBase64(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
