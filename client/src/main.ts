import { mount, type Component } from 'svelte';
import './app.css';
import { parseRoute } from './lib/route.ts';

/** Each page is its own chunk, so a phone loads only the participant's code. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each page takes its own props
const pages: Record<string, () => Promise<{ default: Component<any> }>> = {
  landing: () => import('./pages/Landing.svelte'),
  participant: () => import('./pages/Participant.svelte'),
  facilitator: () => import('./pages/Facilitator.svelte'),
  screen: () => import('./pages/Screen.svelte'),
  report: () => import('./pages/Report.svelte'),
  'not-found': () => import('./pages/NotFound.svelte'),
};

const route = parseRoute(location.pathname);
const target = document.getElementById('app')!;
pages[route.page]().then(({ default: Page }) => mount(Page, { target, props: { route } }));
