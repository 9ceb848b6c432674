import { gzipSync } from 'node:zlib';
import * as Y from 'yjs';
import { readBoard } from '../../shared/doc.ts';
import { FIRST_PAINT_SCRIPT } from './first-paint-script.ts';
import { participantFirstPaint } from './participant-html.ts';

/** A participant page as sent: the HTML and its gzip, made together. */
export interface BuiltPage {
  html: Buffer;
  gzip: Buffer;
}

/**
 * The CPU one workshop's page may take to be drawn: a burst, then 5% of a core. A 2,000-note
 * board costs ~160 ms to draw, so phones loading the page while the room writes (or a stranger
 * loading it in a loop while editing their own board) cannot keep the event loop drawing; a small
 * board (a few ms) is always drawn fresh. Past the budget the last drawing is sent: a page a
 * little behind the document is harmless, because it embeds the document it was drawn from and
 * the page's first join asks only for what changed since (its state vector).
 */
const BUILD_BURST_MS = 250;
const BUILD_MS_PER_SECOND = 50;

/**
 * Puts `inner` in place of the template's app element. Never `String.replace` with a string:
 * `$&`, `` $` ``, `$'` and `$$` in a note would be read as patterns (issue 21: one `$'` in a
 * note gave every phone a second `<head>` and a cut-off state).
 */
export function spliceApp(template: string, inner: string): string {
  const slot = '<div id="app"></div>';
  const at = template.indexOf(slot);
  return at < 0 ? template : template.slice(0, at) + inner + template.slice(at + slot.length);
}

/** Puts `extra` at the end of the template's head (the same care as spliceApp). */
export function spliceHead(template: string, extra: string): string {
  const at = template.indexOf('</head>');
  return at < 0 ? template : template.slice(0, at) + extra + template.slice(at);
}

/** The page's body for one workshop at one document state: first paint, its script, the state as data. */
export function participantPage(head: string, doc: Y.Doc, code: string): string {
  const board = readBoard(doc);
  const state = JSON.stringify({ code, update: Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64'), board });
  return spliceApp(
    head,
    `<div id="app">${participantFirstPaint(board, code)}</div><script>${FIRST_PAINT_SCRIPT}</script>` +
      `<script type="application/json" id="initial-state">${state.replace(/</g, () => '\\u003c')}</script>`,
  );
}

interface Entry {
  page: BuiltPage;
  /** The document changed since it was drawn. */
  stale: boolean;
  /** Drawing time left in the workshop's budget (ms; negative after a costly drawing), and when. */
  budget: number;
  at: number;
}

/**
 * Each workshop's participant page, drawn once per document state (and at most so often) and
 * kept with its gzip, so a room of 300 phones loading at once costs one drawing and one
 * compression, not 300 (issue 21: each load of a 2,000-note board cost 160 ms of CPU).
 */
export class ParticipantPages {
  readonly #pages = new WeakMap<Y.Doc, Entry>();

  constructor(private readonly head: string) {}

  get(doc: Y.Doc, code: string): BuiltPage {
    const e = this.#pages.get(doc);
    // CPU time, so the workshop's own clock (frozen in some tests) plays no part.
    const t0 = performance.now();
    const budget = e ? Math.min(BUILD_BURST_MS, e.budget + ((t0 - e.at) * BUILD_MS_PER_SECOND) / 1000) : BUILD_BURST_MS;
    if (e && (!e.stale || budget <= 0)) return e.page;
    const html = Buffer.from(participantPage(this.head, doc, code));
    const page = { html, gzip: gzipSync(html, { level: 6 }) };
    const t1 = performance.now();
    const entry: Entry = { page, stale: false, budget: budget - (t1 - t0), at: t1 };
    this.#pages.set(doc, entry);
    doc.once('update', () => (entry.stale = true));
    return page;
  }
}
