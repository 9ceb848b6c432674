import { storedJson } from '../lib/storage.ts';

/** A partnership this browser has opened: its key, so a reload or a new tab gets back in. */
export interface RememberedPartnership {
  id: string;
  key: string;
  title: string;
}

const KEY = 'fishbone:partnerships';

export const rememberedPartnerships = {
  list: (): RememberedPartnership[] => storedJson.read<RememberedPartnership[]>(KEY, []),
  remember(p: RememberedPartnership): void {
    storedJson.write(KEY, [p, ...this.list().filter((x) => x.id !== p.id)].slice(0, 50));
  },
  keyFor(id: string): string | null {
    return this.list().find((p) => p.id === id)?.key ?? null;
  },
  forget(id: string): void {
    storedJson.write(
      KEY,
      this.list().filter((x) => x.id !== id),
    );
  },
};
