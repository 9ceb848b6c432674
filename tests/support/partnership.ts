import type { PartnershipView } from '../../shared/partnership/view.ts';
import { TestClient } from './client.ts';
import { createWorkshop, type Created } from './server.ts';

/** A partnership as `POST /api/partnerships` answers. */
export interface CreatedPartnership {
  id: string;
  key: string;
  url: string;
}

export async function createPartnership(url: string, title = 'North Locality Health and Care Partnership'): Promise<CreatedPartnership> {
  const res = await fetch(`${url}/api/partnerships`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title }),
  });
  if (res.status !== 201) throw new Error(`partnership not created: ${res.status} ${await res.text()}`);
  return (await res.json()) as CreatedPartnership;
}

export async function getPartnership(url: string, p: { id: string; key: string }): Promise<PartnershipView> {
  const res = await fetch(`${url}/api/partnerships/${p.id}`, { headers: { authorization: `Bearer ${p.key}` } });
  if (!res.ok) throw new Error(`partnership not read: ${res.status} ${await res.text()}`);
  return (await res.json()) as PartnershipView;
}

/** A partnership's file (its key as Bearer). */
export const partnershipFile = (url: string, p: { id: string; key: string }, name: string) =>
  fetch(`${url}/api/partnerships/${p.id}/export/${name}`, { headers: { authorization: `Bearer ${p.key}` } });

/** A workshop started in a partnership. */
export const startIn = (url: string, p: { id: string; key: string }, title: string, silent = false): Promise<Created> =>
  createWorkshop(url, { title, silent, partnership: { id: p.id, key: p.key } });

export interface Planned {
  boneId: string;
  /** A catalogue pick, or free text. */
  pick?: string;
  text?: string;
  /** Dots from each voter in turn (cycling), so the ranking comes out as planned. */
  dots: number[];
}

/**
 * A workshop (not silent) run from its lobby to Act by scripted phones: the notes planned, the
 * votes planned, the reveal, then Act with the actions given (each on the barrier at that index).
 */
export async function runToAct(
  url: string,
  fac: TestClient,
  people: TestClient[],
  notes: Planned[],
  actions: Array<{ what: string; who?: string; when?: string; on?: number }> = [],
): Promise<string[]> {
  if (fac.board().meta.phase === 'lobby') await fac.do({ type: 'phase.set', phase: 'brainstorm' });
  const ids: string[] = [];
  for (const [i, n] of notes.entries()) {
    const author = people[i % people.length];
    const res = await author.do({ type: 'note.add', boneId: n.boneId, ...(n.pick ? { pick: n.pick } : { text: n.text }) });
    ids.push(res.noteId!);
  }
  await fac.do({ type: 'phase.set', phase: 'vote' });
  for (const [i, n] of notes.entries())
    for (const [k, d] of n.dots.entries()) if (d > 0) await people[k % people.length].do({ type: 'vote.change', noteId: ids[i], delta: d });
  await fac.do({ type: 'phase.set', phase: 'reveal' });
  await fac.do({ type: 'phase.set', phase: 'act' });
  for (const a of actions)
    await fac.do({ type: 'action.add', what: a.what, who: a.who ?? '', when: a.when ?? '', noteId: a.on === undefined ? null : ids[a.on] });
  return ids;
}

/** A facilitator and `n` phones in a workshop. */
export async function room(url: string, w: Created, n: number, tokens: string[] = []) {
  const fac = await TestClient.facilitator(url, w.code, w.facilitatorKey);
  const people = await Promise.all(Array.from({ length: n }, (_, i) => TestClient.participant(url, w.code, tokens[i])));
  return { fac, people };
}

/** A day of March and one of September (10 am), in a given year. */
export const march = (year = 2027) => Date.UTC(year, 2, 10, 10);
export const september = (year = 2027) => Date.UTC(year, 8, 15, 10);

/** The March workshop's plan: three barriers make its top 3 (two common picks), then three actions. */
export const SPRING = {
  notes: [
    { boneId: 'processes', pick: 'processes-5', dots: [2, 2, 1, 1] },
    { boneId: 'resources', text: 'No shared IT systems', dots: [1, 1, 1, 1] },
    { boneId: 'resources', pick: 'money-1', dots: [1, 1, 0, 1] },
    { boneId: 'people', text: 'Managers do not listen', dots: [1, 0, 1, 0] },
  ],
  actions: [
    { what: 'Set up a joint communications group', who: 'Locality manager', when: 'May', on: 0 },
    { what: 'Agree a data-sharing protocol', who: 'IG leads', when: 'June', on: 1 },
    { what: 'Hold a joint budget meeting', who: 'Finance', when: 'July', on: 2 },
  ],
};

/**
 * A partnership's spring workshop run and closed (four phones), then its autumn workshop opened
 * six months later on the server's clock with five phones and a projector, in its lobby.
 * `tokens`: browser tokens the phones use, in both workshops alike (the same phones coming back).
 * `year`: each run in a later year, so a test's clock never goes back.
 */
export async function springThenAutumn(url: string, setDay: (day: number) => void, year: number, tokens: string[] = []) {
  setDay(march(year));
  const p = await createPartnership(url);
  const w1 = await startIn(url, p, 'Spring away-day');
  const { fac: f1, people: spring } = await room(url, w1, 4, tokens);
  await f1.do({ type: 'settings.set', topN: 3 });
  await runToAct(url, f1, spring, SPRING.notes, SPRING.actions);
  await f1.do({ type: 'phase.set', phase: 'closed' });
  setDay(september(year));
  const w2 = await startIn(url, p, 'Autumn away-day');
  const { fac: f2, people: autumn } = await room(url, w2, 5, tokens);
  const screen = await TestClient.screen(url, w2.code);
  const last = f2.board().since!.series.last!;
  const close = () => [f1, ...spring, f2, ...autumn, screen].forEach((c) => c.close());
  return { p, w1, f1, spring, w2, f2, autumn, screen, last, close };
}
