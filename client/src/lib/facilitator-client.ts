import { onDestroy } from 'svelte';
import { keyFromHash } from './route.ts';
import { facilitatorWorkshops } from './storage.ts';
import { WorkshopClient } from './workshop-client.svelte.ts';

/**
 * A facilitator page's connection (the run of show, the report): the key from the link's
 * fragment, else from this browser's list; no key, no client. Closed with the page, so call it
 * while the page's component initialises.
 */
export function facilitatorClient(code: string): { key: string | null; client: WorkshopClient | null } {
  const key = keyFromHash(location.hash) ?? facilitatorWorkshops.keyFor(code);
  const client = key ? new WorkshopClient({ joinAs: { as: 'facilitator', code, key } }) : null;
  onDestroy(() => client?.close());
  return { key, client };
}

/** Once this browser remembers the key, take it out of the address bar (a projector or a printed page's footer would show it). */
export function hideKeyOnceRemembered(code: string, key: string): void {
  if (location.hash && facilitatorWorkshops.keyFor(code) === key)
    history.replaceState(history.state, '', location.pathname + location.search);
}
