import type { Board } from '../../shared/doc.ts';
import { common, PHASE_NAMES } from '../../shared/messages/core.ts';
import { participant as t } from '../../shared/messages/participant.ts';
import { currentRound } from '../../shared/rounds.ts';
import { todo } from '../../shared/todo.ts';

/**
 * The participant page's first paint, drawn by the server from the workshop's shared document:
 * the title, the phase, what to do now, and each bone with the notes everyone can see. A phone
 * on slow 4G reads the board from the HTML alone, before any script or the stylesheet has
 * arrived; the page's script then draws the live page over it (client/src/main.ts removes this
 * markup, `data-ssr`, when it mounts).
 *
 * Anonymity: only the Board, i.e. the shared document every participant already receives, goes
 * in: no author, no hidden note, no ballot, nothing about the person asking. So the bytes are the
 * same for every participant of the workshop at a given moment (tests/integration/first-paint.test.ts).
 */
export function participantFirstPaint(board: Board): string {
  const { meta } = board;
  const prompt = meta.prompts[meta.phase] ?? '';
  const now = todo(meta, currentRound(board).notes.length);
  const silent = meta.silent && !meta.notesRevealed;
  const bones = meta.bones
    .map((bone) => {
      const notes = board.notes.filter((n) => n.boneId === bone.id);
      const items = notes.map((n) => `<li>${esc(n.text)}</li>`).join('');
      return (
        `<section class="ssr-card"><h2><span class="ssr-label">${esc(bone.label)}</span>` +
        // While the brainstorm is silent the notes are counted by the live page; here they are not shown yet.
        (silent ? '' : `<span class="ssr-count">${esc(t.board.noteCount(notes.length))}</span>`) +
        `</h2>` +
        (items ? `<ul>${items}</ul>` : '') +
        `</section>`
      );
    })
    .join('');
  return (
    `<div data-ssr class="ssr">` +
    `<header class="ssr-bar"><h1>${esc(meta.title)}</h1>` +
    `<p><span class="ssr-phase">${esc(PHASE_NAMES[meta.phase])}</span> <span class="ssr-status">${esc(common.status.connecting)}</span></p></header>` +
    `<main class="ssr-page">` +
    (prompt ? `<p class="ssr-prompt">${esc(prompt)}</p>` : '') +
    (now ? `<p class="ssr-todo">${esc(now)}</p>` : '') +
    bones +
    `</main></div>`
  );
}

/**
 * Enough style for the first paint to look like the page it turns into, inline so it does not
 * wait for the stylesheet (the Content Security Policy allows inline styles).
 */
export const FIRST_PAINT_CSS = `:root{--ink:#1b1f24;--ink-soft:#4a5560;--paper:#fff;--canvas:#f4f6f8;--line:#c9d1d9;--brand:#12355b;--brand-ink:#fff;--radius:10px;font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;color:var(--ink);background:var(--canvas);line-height:1.45;-webkit-text-size-adjust:100%}*{box-sizing:border-box}body{margin:0;min-height:100vh}
.ssr-bar{position:sticky;top:0;padding:.35rem max(.75rem,calc((100% - 40rem)/2 + .75rem));background:var(--paper);border-bottom:3px solid var(--brand);box-shadow:0 2px 6px rgb(0 0 0/.15)}
.ssr-bar h1{font-size:1.1rem;margin:0;color:var(--brand);overflow-wrap:anywhere;line-height:1.2}.ssr-bar p{margin:.2rem 0 0;font-size:.9rem;color:var(--ink-soft)}
.ssr-phase{font-weight:700;text-transform:uppercase;letter-spacing:.04em;font-size:.85rem;background:var(--brand);color:var(--brand-ink);border-radius:999px;padding:.1rem .6rem;margin-right:.5rem}
.ssr-page{max-width:40rem;margin:0 auto;padding:.75rem .75rem 3rem}.ssr-prompt{margin:0;font-style:italic;color:var(--ink-soft);overflow-wrap:anywhere}.ssr-todo{margin:.2rem 0 .75rem;font-weight:600}
.ssr-card{background:var(--paper);border:1px solid var(--line);border-radius:var(--radius);padding:.75rem;margin:0 0 .75rem}.ssr-card h2{display:flex;justify-content:space-between;gap:.5rem;font-size:1.05rem;margin:0;color:var(--brand);line-height:1.2}
.ssr-count{font-weight:400;font-size:.9rem;color:var(--ink-soft)}.ssr-card ul{margin:.5rem 0 0;padding-left:1.2rem}.ssr-card li{overflow-wrap:anywhere}`;

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
