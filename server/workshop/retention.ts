import type { Store } from '../store/store.ts';
import type { Registry } from './registry.ts';
import { log } from '../log/logger.ts';

const DAY = 24 * 60 * 60 * 1000;

/** Delete workshops closed more than `days` ago. Returns how many went. */
export async function sweepClosed(store: Store, registry: Registry, days: number, now: number): Promise<number> {
  const old = await store.closedBefore(now - days * DAY);
  for (const { id, code } of old) {
    await store.deleteWorkshop(id);
    registry.forget(id, code);
  }
  return old.length;
}

/** The retention setting (RETENTION_DAYS; off by default): sweep at start, then hourly. */
export function startRetention(store: Store, registry: Registry, days: number, now: () => number): () => void {
  const sweep = () => void sweepClosed(store, registry, days, now()).catch((err) => log.error({ err }, 'retention sweep failed'));
  sweep();
  const timer = setInterval(sweep, 60 * 60 * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
