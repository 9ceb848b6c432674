import { describe, expect, it } from 'vitest';
import { Presence } from '../../server/workshop/presence.ts';

describe('Presence counts', () => {
  it('counts people, not tabs, and follows sockets as they come and go', () => {
    const p = new Presence();
    p.add('s1', 'participant', 'a');
    p.add('s2', 'participant', 'a');
    p.add('s3', 'participant', 'b');
    p.add('s4', 'facilitator', 'f');
    p.add('s5', 'facilitator', 'f');
    p.add('s6', 'screen', '');
    expect(p.size).toBe(6);
    expect(p.census(false)).toEqual({ participants: 2, facilitators: 2, screens: 1, eligible: 2 });
    expect(p.census(true)).toEqual({ participants: 2, facilitators: 2, screens: 1, eligible: 3 });
    p.remove('s1');
    expect(p.participantKeys()).toEqual(new Set(['a', 'b']));
    p.remove('s2');
    p.remove('s2');
    expect(p.participantKeys()).toEqual(new Set(['b']));
    expect(p.facilitatorKeys()).toEqual(new Set(['f']));
    p.remove('s6');
    // Who could vote does not drop when someone leaves: it would tell whether they had voted.
    expect(p.census(false)).toEqual({ participants: 1, facilitators: 2, screens: 0, eligible: 2 });
    // A new phase counts from whoever is here then.
    p.newPhase();
    expect(p.census(false)).toEqual({ participants: 1, facilitators: 2, screens: 0, eligible: 1 });
    p.add('s7', 'participant', 'c');
    expect(p.census(false).eligible).toBe(2);
  });

  it('adds people who took part and have gone, once each', () => {
    const p = new Presence();
    p.add('s1', 'participant', 'a');
    p.add('s2', 'facilitator', 'f');
    const voted = new Set(['a', 'gone', 'f']);
    expect(p.census(false, voted).eligible).toBe(3); // a, gone, f (who voted)
    expect(p.census(true, voted).eligible).toBe(3);
    expect(p.countWith(new Set(['gone', 'also-gone']))).toBe(3);
  });

  it('a socket that joins again replaces its old entry', () => {
    const p = new Presence();
    p.add('s1', 'participant', 'a');
    p.add('s1', 'screen', '');
    // Still one who could vote in this phase: they were here.
    expect(p.census(false)).toEqual({ participants: 0, facilitators: 0, screens: 1, eligible: 1 });
    expect(p.size).toBe(1);
  });
});
