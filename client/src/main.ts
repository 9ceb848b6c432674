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
  partnership: () => import('./pages/Partnership.svelte'),
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

/**
 * Someone typing in the first paint's note form (server/http/first-paint-script.ts) keeps it
 * until they add the note or leave the field: taking the field away would close the phone's
 * keyboard mid-word. What they added is in the outbox the live page starts from.
 */
function firstPaintLetGo(ssr: Element | null): Promise<void> {
  const typing = () => !!ssr && document.activeElement instanceof HTMLTextAreaElement && ssr.contains(document.activeElement);
  if (!ssr || !typing()) return Promise.resolve();
  ssr.setAttribute('data-handover', 'waiting');
  return new Promise((resolve) => {
    const done = () => {
      ssr.removeEventListener('submit', done);
      ssr.removeEventListener('focusout', left);
      resolve();
    };
    const left = () => setTimeout(() => !typing() && done(), 0);
    ssr.addEventListener('submit', done);
    ssr.addEventListener('focusout', left);
  });
}

const CONNECT_HEAD_START_MS = 300;

const route = parseRoute(location.pathname);
const target = document.getElementById('app')!;
// A phone's connection starts as soon as Yjs and socket.io have loaded, not after the page has drawn.
const connecting =
  route.page === 'participant'
    ? import('./lib/sync.ts').then((sync) => sync.preconnect(route.code)).catch(() => undefined)
    : Promise.resolve();
void Promise.all([pages[route.page](), lateStylesheet()]).then(async ([{ default: Page }]) => {
  // Drawing the page keeps a slow phone busy for a while: let a connection that is about to start
  // go first, so that its round trips overlap the drawing (but never wait long for it).
  await Promise.race([connecting, new Promise((r) => setTimeout(r, CONNECT_HEAD_START_MS))]);
  // The server's first paint of the board (data-ssr) gives way to the live page.
  const ssr = target.querySelector('[data-ssr]');
  await firstPaintLetGo(ssr);
  ssr?.remove();
  mount(Page, { target, props: { route } });
});
