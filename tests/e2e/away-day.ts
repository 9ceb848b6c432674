import { TestClient, until } from '../support/client.ts';
import { awayDayNotes, DOTS, GROUPS, TITLE, type WrittenNote } from '../support/away-day-notes.ts';
import { createWorkshop, type Created } from '../support/server.ts';

export { awayDayNotes, DOTS, GROUPS, TITLE };

/**
 * The away-day at full size (issue 24), scripted: 40 people in 7 groups, 150 notes on the
 * barriers fishbone, 5 dots each with a clear top five, 31 answers to "within our control?".
 * The room is socket.io clients; the tests put a projector, a laptop and phones beside it.
 */

export interface AwayDay {
  w: Created;
  fac: TestClient;
  room: TestClient[];
  notes: WrittenNote[];
  close(): void;
}

/** A workshop of 40 in the lobby, each with a group; the board silent, as created by default. */
export async function openAwayDay(url: string, people = 40): Promise<AwayDay> {
  const w = await createWorkshop(url, { title: TITLE });
  const fac = await TestClient.facilitator(url, w.code, w.facilitatorKey);
  await fac.do({ type: 'settings.set', groups: GROUPS });
  const room: TestClient[] = [];
  for (let i = 0; i < people; i += 10)
    room.push(...(await Promise.all(Array.from({ length: Math.min(10, people - i) }, () => TestClient.participant(url, w.code)))));
  await Promise.all(room.map((p, i) => p.do({ type: 'profile.set', group: GROUPS[i % GROUPS.length] })));
  return { w, fac, room, notes: awayDayNotes(), close: () => [fac, ...room].forEach((c) => c.close()) };
}

/** The silent brainstorm: every note written, spread over the room. */
export async function brainstorm(day: AwayDay): Promise<void> {
  await day.fac.do({ type: 'phase.set', phase: 'brainstorm' });
  await Promise.all(
    day.room.map(async (p, k) => {
      for (let i = k; i < day.notes.length; i += day.room.length) await p.do({ type: 'note.add', ...day.notes[i] });
    }),
  );
}

/** The note ids of awayDayNotes() once on the board, by index (text is unique). */
export function noteIds(day: AwayDay): string[] {
  const byText = new Map(day.fac.board().notes.map((n) => [n.text, n.id]));
  return day.notes.map((n) => byText.get(n.text)!);
}

/** The vote: 5 dots each, as DOTS says, each note's dots from different people. */
export async function vote(day: AwayDay): Promise<void> {
  const ids = noteIds(day);
  const tokens = DOTS.flatMap(([i, dots]) => Array<string>(dots).fill(ids[i]));
  const ballots = day.room.map(() => new Map<string, number>());
  tokens.forEach((id, k) => {
    const b = ballots[k % day.room.length];
    b.set(id, (b.get(id) ?? 0) + 1);
  });
  await Promise.all(
    day.room.map(async (p, k) => {
      for (const [noteId, delta] of ballots[k]) await p.do({ type: 'vote.change', noteId, delta });
    }),
  );
  await until(() => day.fac.stats?.turnout.voters === day.room.length, 'everyone voted', 10_000);
}

/** The texts of the top five, in order. */
export const topFive = (day: AwayDay): string[] => DOTS.slice(0, 5).map(([i]) => day.notes[i].text);

/** Round 2 on the top five: everyone spends 5 fresh dots, the first round's #2 now ahead. */
export async function voteRoundTwo(day: AwayDay): Promise<void> {
  await day.fac.do({ type: 'round.start', top: 5 });
  const ids = noteIds(day);
  const [first, second, third, fourth, fifth] = DOTS.slice(0, 5).map(([i]) => ids[i]);
  await Promise.all(
    day.room.map(async (p, k) => {
      const mine =
        k % 3 === 0
          ? [
              [second, 3],
              [first, 2],
            ]
          : k % 3 === 1
            ? [
                [first, 2],
                [third, 2],
                [fourth, 1],
              ]
            : [
                [second, 2],
                [fifth, 3],
              ];
      for (const [noteId, delta] of mine) await p.do({ type: 'vote.change', noteId: noteId as string, delta: delta as number });
    }),
  );
  await until(() => day.fac.stats?.turnout.voters === day.room.length, 'everyone voted again', 10_000);
}

/** Act: 31 people answer "within our control?" for the top five; the facilitator shows the counts and records actions. */
export async function act(day: AwayDay): Promise<void> {
  await day.fac.do({ type: 'phase.set', phase: 'act' });
  const top = day.fac.board().meta.topN;
  const ids = noteIds(day);
  const topIds = DOTS.slice(0, top).map(([i]) => ids[i]);
  const answers = ['control', 'influence', 'outside'] as const;
  await Promise.all(
    day.room.slice(0, 31).map(async (p, k) => {
      for (const [j, noteId] of topIds.entries()) await p.do({ type: 'control.answer', noteId, answer: answers[(k + j * 2) % 3] });
    }),
  );
  await until(() => day.fac.stats?.act?.answered === 31, '31 answered', 10_000);
  await day.fac.do({ type: 'control.show' });
  const actions = [
    ['Agree one discharge protocol owned jointly by the hospital and adult social care', 'Discharge team leads', 'End of March'],
    ['Rotate who chairs the partnership board, with the voluntary sector first', 'Partnership board', 'Next meeting'],
    ['Map the commissioning cycles of every partner on one page', 'Commissioners', 'June'],
    ['Joint funding bid for a shared case-record system', 'Council and NHS digital leads', 'September'],
    [
      'Sign the information-sharing agreement template once for all partners',
      'Police and council data protection officers',
      'End of April',
    ],
  ];
  for (const [i, [what, who, when]] of actions.entries()) await day.fac.do({ type: 'action.add', noteId: topIds[i], what, who, when });
}
