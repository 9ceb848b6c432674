import { getContext, setContext } from 'svelte';
import type { WorkshopClient } from './workshop-client.svelte.ts';

/**
 * The page's workshop connection, for every component below it: components send commands and
 * read the client's state from here instead of having `send` handed down through each level.
 */
const KEY = Symbol('workshop');

export const provideWorkshop = (client: WorkshopClient): WorkshopClient => setContext(KEY, client);

export function useWorkshop(): WorkshopClient {
  const client = getContext<WorkshopClient | undefined>(KEY);
  if (!client) throw new Error('useWorkshop() outside a workshop page');
  return client;
}
