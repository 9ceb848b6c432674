import type { Note } from '../doc.ts';
import { similarKey } from '../fishbone/similar.ts';
import { own } from '../safe-keys.ts';
import type { ActionStatus, BoneShare, EarlierWorkshop, TopBarrier, WorkshopSummary } from './series.ts';

/**
 * What moved between workshops of a partnership: pure functions of what each workshop already
 * showed its room (bone weights, rankings, actions and their statuses), so every screen, the
 * partnership page and the exports say the same.
 */

/** A bone's share now and in each earlier workshop that revealed its results. */
export interface BoneMove {
  id: string;
  label: string;
  /** Share of this workshop's dots (0..1). */
  now: number;
  /** Oldest first; null where that workshop had no such bone. */
  then: Array<{ title: string; date: string; share: number | null }>;
}

/** Earlier workshops whose weights can be compared: those that revealed their results. */
export const comparable = (earlier: EarlierWorkshop[]): EarlierWorkshop[] => earlier.filter((e) => e.revealed);

/** A bone of another workshop: the same id (the same template), else the same label. */
const sameBone = (bones: BoneShare[], b: { id: string; label: string }): BoneShare | undefined =>
  bones.find((x) => x.id === b.id) ?? bones.find((x) => x.label.trim().toLowerCase() === b.label.trim().toLowerCase());

export function boneMoves(now: BoneShare[], earlier: EarlierWorkshop[]): BoneMove[] {
  const past = comparable(earlier);
  return now.map((b) => ({
    id: b.id,
    label: b.label,
    now: b.share,
    then: past.map((e) => ({ title: e.title, date: e.date, share: sameBone(e.bones, b)?.share ?? null })),
  }));
}

/** Which way a share went, in whole percentage points (what the screens print). */
export function direction(now: number, then: number): 'up' | 'down' | 'same' {
  const a = Math.round(now * 100);
  const b = Math.round(then * 100);
  return a > b ? 'up' : a < b ? 'down' : 'same';
}

/** A barrier of this workshop, as its ranking has it. */
export type NowBarrier = Pick<TopBarrier, 'id' | 'text' | 'bone' | 'pick' | 'rank' | 'dots'>;

export interface BarrierMoves {
  /** Last time's top barriers still in the top now. */
  persist: Array<{ then: TopBarrier; now: NowBarrier; by: 'pick' | 'match' }>;
  /** Top barriers now that were not in last time's top. */
  fresh: NowBarrier[];
  /** Last time's top barriers no longer in the top: ranked lower now (with its rank), or not raised. */
  gone: Array<{ then: TopBarrier; now: NowBarrier | null }>;
}

/**
 * Last time's top barrier -> the barrier here it is: a facilitator's match first, then the same
 * catalogue pick (picks match exactly). Free text is never matched by itself (similar words are
 * only suggested: `suggestMatches`).
 */
export function matchBarriers(
  lastTop: TopBarrier[],
  ranked: NowBarrier[],
  matches: Record<string, string>,
): Map<string, { now: NowBarrier; by: 'pick' | 'match' }> {
  const out = new Map<string, { now: NowBarrier; by: 'pick' | 'match' }>();
  const taken = new Set<string>();
  for (const b of lastTop) {
    const id = own(matches, b.id);
    const now = id ? ranked.find((r) => r.id === id) : undefined;
    if (now) {
      out.set(b.id, { now, by: 'match' });
      taken.add(now.id);
    }
  }
  for (const b of lastTop) {
    if (out.has(b.id) || !b.pick) continue;
    const now = ranked.find((r) => r.pick === b.pick && !taken.has(r.id));
    if (now) {
      out.set(b.id, { now, by: 'pick' });
      taken.add(now.id);
    }
  }
  return out;
}

/** Persisting, new and gone barriers between last time's top and this workshop's (`ranked`: its ranking, best first). */
export function barrierMoves(lastTop: TopBarrier[], ranked: NowBarrier[], topN: number, matches: Record<string, string>): BarrierMoves {
  const found = matchBarriers(lastTop, ranked, matches);
  const topNow = ranked.slice(0, topN);
  const inTop = new Set(topNow.map((r) => r.id));
  const persist: BarrierMoves['persist'] = [];
  const gone: BarrierMoves['gone'] = [];
  for (const b of lastTop) {
    const m = found.get(b.id);
    if (m && inTop.has(m.now.id)) persist.push({ then: b, now: m.now, by: m.by });
    else gone.push({ then: b, now: m?.now ?? null });
  }
  const matched = new Set([...found.values()].map((m) => m.now.id));
  return { persist, fresh: topNow.filter((r) => !matched.has(r.id)), gone };
}

/**
 * Notes here whose words are near-identical to one of last time's unmatched top barriers (the
 * similarity the projector already groups by: shared/fishbone/similar.ts), for a facilitator to
 * confirm. On any bone: a barrier may have been placed on another bone this time.
 */
export function suggestMatches(
  lastTop: TopBarrier[],
  notes: Note[],
  matches: Record<string, string>,
): Array<{ barrierId: string; noteId: string }> {
  const out: Array<{ barrierId: string; noteId: string }> = [];
  const used = new Set(Object.values(matches));
  for (const b of lastTop) {
    if (own(matches, b.id) || b.pick) continue;
    const key = similarKey(b.text);
    if (!key) continue;
    const n = notes.find((x) => !used.has(x.id) && similarKey(x.text) === key);
    if (n) out.push({ barrierId: b.id, noteId: n.id });
  }
  return out;
}

/** One action followed through the series: where it was agreed, and what each later workshop said of it. */
export interface ActionHistory {
  root: string;
  /** Its words as last carried on. */
  what: string;
  who: string;
  when: string;
  barrier: string;
  agreed: { title: string; date: string };
  steps: Array<{ title: string; date: string; status: ActionStatus | null; carried: boolean }>;
  /** Its latest status (null: not said yet). */
  status: ActionStatus | null;
}

/** Every action of the series and its status history, in the order they were agreed. */
export function actionHistories(workshops: WorkshopSummary[]): ActionHistory[] {
  const byRoot = new Map<string, ActionHistory>();
  workshops.forEach((w, i) => {
    const next = workshops[i + 1];
    for (const a of w.actions) {
      let h = byRoot.get(a.root);
      if (!h) {
        h = {
          root: a.root,
          what: a.what,
          who: a.who,
          when: a.when,
          barrier: a.barrier,
          agreed: { title: w.title, date: w.date },
          steps: [],
          status: null,
        };
        byRoot.set(a.root, h);
      } else Object.assign(h, { what: a.what, who: a.who, when: a.when, barrier: a.barrier || h.barrier });
      if (!next) continue;
      const status = own(next.since?.statuses, a.id) ?? null;
      const carried = next.actions.some((x) => x.root === a.root);
      if (status || carried) {
        h.steps.push({ title: next.title, date: next.date, status, carried });
        if (status) h.status = status;
      }
    }
  });
  return [...byRoot.values()];
}
