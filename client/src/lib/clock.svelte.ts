import { createSubscriber } from 'svelte/reactivity';

/** A once-a-second tick shared by every countdown on the page; it runs only while read. */
const subscribe = createSubscriber((update) => {
  const t = setInterval(update, 250);
  return () => clearInterval(t);
});

export const ticker = {
  get now(): number {
    subscribe();
    return Date.now();
  },
};
