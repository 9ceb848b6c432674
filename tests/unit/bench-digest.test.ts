import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addressOf, canonical, digest, hasTally, tagsIn } from '../../bench/digest.ts';
import { capacity, fitLine, TYPICAL } from '../../bench/capacity.ts';

describe('bench digest helpers', () => {
  it('canonical JSON ignores key order at every level', () => {
    expect(canonical({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}');
    expect(digest({ a: 1, b: 2 })).toBe(digest({ b: 2, a: 1 }));
    expect(digest({ a: 1 })).not.toBe(digest({ a: 2 }));
  });

  it('finds note tags in an update without applying it', () => {
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    doc.getMap('notes').set('x', { text: 'Nobody owns the handover — ça [n 12.3]' });
    doc.getMap('notes').set('y', { text: 'facilitator probe [n -4.0] and not [n 1.] nor [n a.1]' });
    expect(tagsIn(updates[0])).toEqual(['12.3']);
    expect(tagsIn(updates[1])).toEqual(['-4.0']);
    expect(tagsIn(Y.encodeStateAsUpdate(doc))).toEqual(['12.3', '-4.0']);
    expect(tagsIn(new Uint8Array([1, 2, 3]))).toEqual([]);
  });

  it('sees the tally key', () => {
    const doc = new Y.Doc();
    doc.getMap('results').set('tally', { votes: {} });
    expect(hasTally(Y.encodeStateAsUpdate(doc))).toBe(true);
    expect(hasTally(new Uint8Array([1, 2]))).toBe(false);
  });

  it('gives every phone its own address', () => {
    expect(addressOf(0)).toBe('10.1.0.1');
    expect(addressOf(-1)).toBe('10.1.0.0');
    const all = new Set(Array.from({ length: 20_000 }, (_, g) => addressOf(g - 500)));
    expect(all.size).toBe(20_000);
  });
});

describe('capacity', () => {
  it('fits a line through points', () => {
    const { slope, intercept } = fitLine([
      [51, 1.5],
      [301, 4],
      [1001, 11],
    ]);
    expect(slope).toBeCloseTo(0.01, 3);
    expect(intercept).toBeCloseTo(0.99, 1);
  });

  it('turns costs into participants per core', () => {
    const c = capacity({ joinMs: 2, commandMs: 1, perSocketMs: 0.01, dotMs: 1 }, TYPICAL, 0.5);
    // Per person: 3 joins × 2 + 13 broadcasts × (1 + 42 × 0.01) + 5 dots × 1 = 29.46 ms.
    expect(c.cpuMsPerParticipant).toBeCloseTo(29.5, 1);
    // A workshop of 40: 1.1784 s in 900 s; half a core holds 0.5 / 0.0013093 workshops of 40.
    expect(c.participantsPerCore).toBe(Math.floor((0.5 / (1178.4 / 900_000)) * 40));
  });
});
