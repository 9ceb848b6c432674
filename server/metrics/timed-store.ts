import type { Store } from '../store/store.ts';
import type { Metrics } from './metrics.ts';

/**
 * The same store, its commits timed: each batch from its hand-over to its transaction's end
 * (group commit included). The store object itself is unchanged: everything else is passed
 * through, bound to it (its private fields need the real `this`).
 */
export function timedStore<S extends Store>(store: S, metrics: Metrics): S {
  return new Proxy(store, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (prop === 'commit') {
        return (...args: Parameters<Store['commit']>) => {
          const started = performance.now();
          const done = () => metrics.commit((performance.now() - started) / 1000);
          const p = target.commit(...args);
          p.then(done, done);
          return p;
        };
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
