import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { toBase64 } from '../../shared/base64.ts';
import type { Received } from '../support/client.ts';
import { wireText } from '../support/wire.ts';

/**
 * The anonymity scans are only as good as their decoding: a word the scan cannot see is a word a
 * test would swear never arrived. These check the scan finds text in every shape a frame carries.
 */
function updateWith(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('notes').set('n1', text);
  return Y.encodeStateAsUpdate(doc);
}
const at = 0;

describe('the wire scan (tests/support/wire.ts)', () => {
  it('finds words inside a binary join reply (a Buffer, as socket.io hands it to Node)', () => {
    const update = Buffer.from(updateWith('Consultants talk over everyone'));
    const frames: Received[] = [{ event: 'join:ack', args: [{ ok: true, update, self: null }], at }];
    expect(wireText(frames)).toContain('Consultants talk over everyone');
    // What the old copies did: JSON turned the Buffer into numbers before anything could decode it.
    expect(JSON.stringify(frames)).not.toContain('Consultants talk over everyone');
  });

  it('finds words in base64 doc events, plain Uint8Arrays, ArrayBuffers and nested objects', () => {
    const frames: Received[] = [
      { event: 'doc', args: [toBase64(updateWith('In a doc event'))], at },
      { event: 'x', args: [{ deep: [{ bytes: updateWith('In plain bytes') }] }], at },
      { event: 'y', args: [updateWith('In an ArrayBuffer').slice().buffer], at },
      { event: 'self', args: [{ notes: [{ text: 'In a self view' }] }], at },
    ];
    const text = wireText(frames);
    for (const words of ['In a doc event', 'In plain bytes', 'In an ArrayBuffer', 'In a self view']) expect(text).toContain(words);
  });
});
