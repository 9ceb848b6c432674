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

/**
 * The participant page's HTML paints the board before the stylesheet has arrived (its link is
 * `media="print"`, server/http/pages.ts): apply it now, and draw once it is in, so the live page
 * never shows unstyled.
 */
function lateStylesheet(): Promise<void> {
  const link = document.querySelector<HTMLLinkElement>('link[data-late-css]');
  if (!link) return Promise.resolve();
  link.media = 'all';
  link.removeAttribute('data-late-css');
  if (link.sheet) return Promise.resolve();
  return new Promise((resolve) => {
    link.addEventListener('load', () => resolve(), { once: true });
    link.addEventListener('error', () => resolve(), { once: true });
  });
}

const route = parseRoute(location.pathname);
const target = document.getElementById('app')!;
// A phone's connection starts as soon as Yjs and socket.io have loaded, not after the page has drawn.
if (route.page === 'participant') void import('./lib/sync.ts').then((sync) => sync.preconnect(route.code)).catch(() => undefined);
void Promise.all([pages[route.page](), lateStylesheet()]).then(([{ default: Page }]) => {
  // The server's first paint of the board (data-ssr) gives way to the live page.
  target.querySelector('[data-ssr]')?.remove();
  mount(Page, { target, props: { route } });
});
