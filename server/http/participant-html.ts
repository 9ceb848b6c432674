import type { Board } from '../../shared/doc.ts';
import { common, PHASE_NAMES } from '../../shared/messages/core.ts';
import { participant as t } from '../../shared/messages/participant.ts';
import { NOTE_MAX } from '../../shared/limits.ts';
import { currentRound } from '../../shared/rounds.ts';
import { todo } from '../../shared/todo.ts';

/**
 * The participant page's first paint, drawn by the server from the workshop's shared document:
 * the title, the phase, what to do now, and each bone with the notes everyone can see. A phone
 * on slow 4G reads the board from the HTML alone, before any script or the stylesheet has
 * arrived; the page's script then draws the live page over it (client/src/main.ts removes this
 * markup, `data-ssr`, when it mounts).
 *
 * It can also be used at once: in the brainstorm each bone has a note form, while voting each
 * note of the round a dot button. They are hidden until the first paint's own few lines of
 * script (first-paint-script.ts, inline, before the page's code) arm them; what is typed or
 * tapped then goes into the outbox the live page sends from once it connects.
 *
 * Anonymity: only the Board, i.e. the shared document every participant already receives, goes
 * in: no author, no hidden note, no ballot, nothing about the person asking. So the bytes are the
 * same for every participant of the workshop at a given moment (tests/integration/first-paint.test.ts).
 */
export function participantFirstPaint(board: Board, code: string): string {
  const { meta } = board;
  const prompt = meta.prompts[meta.phase] ?? '';
  const round = currentRound(board);
  const now = todo(meta, round.notes.length);
  const silent = meta.silent && !meta.notesRevealed;
  const adding = meta.phase === 'brainstorm' && !meta.locked;
  const votable = meta.phase === 'vote' && !meta.votingClosed ? new Set(round.notes.map((n) => n.id)) : null;
  const bones = meta.bones
    .map((bone) => {
      const notes = board.notes.filter((n) => n.boneId === bone.id);
      const items = notes
        .map((n) =>
          votable?.has(n.id)
            ? `<li>${esc(n.text)} <button type="button" class="ssr-dot" data-note="${esc(n.id)}" aria-label="${esc(t.vote.add(n.text))}">+1</button></li>`
            : `<li>${esc(n.text)}</li>`,
        )
        .join('');
      return (
        `<section class="ssr-card"><h2><span class="ssr-label">${esc(bone.label)}</span>` +
        // While the brainstorm is silent the notes are counted by the live page; here they are not shown yet.
        (silent ? '' : `<span class="ssr-count">${esc(t.board.noteCount(notes.length))}</span>`) +
        `</h2>` +
        `<ul${items ? '' : ' hidden'}>${items}</ul>` +
        (adding ? noteForm(bone.id, bone.label) : '') +
        `</section>`
      );
    })
    .join('');
  return (
    `<div data-ssr data-code="${esc(code)}" data-pending="${esc(t.board.pending)}" data-waiting-dots="${esc(t.vote.waiting(0).replace('0', '#'))}" class="ssr">` +
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
 * A bone's note form, as the live page's (NoteForm.svelte): a box of a few lines, Enter adds.
 * Folded under its bone, as the live page folds the bones, so the board stays readable.
 */
function noteForm(boneId: string, label: string): string {
  const id = `ssr-add-${boneId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  return (
    `<details class="ssr-add"><summary>${esc(t.add.label(label))}</summary>` +
    `<form data-bone="${esc(boneId)}"><label class="ssr-hide" for="${id}">${esc(t.add.label(label))}</label>` +
    `<textarea id="${id}" name="text" rows="2" maxlength="${NOTE_MAX}" enterkeyhint="send" autocomplete="off" placeholder="${esc(t.add.placeholder)}"></textarea>` +
    `<button type="submit">${esc(t.add.send)}</button></form></details>`
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
.ssr-count{font-weight:400;font-size:.9rem;color:var(--ink-soft)}.ssr-card ul{margin:.5rem 0 0;padding-left:1.2rem}.ssr-card li{overflow-wrap:anywhere}
.ssr-add,.ssr-dot{display:none}[data-armed] .ssr-add{display:block;margin:.6rem 0 0}[data-armed] .ssr-dot{display:inline-block}
.ssr-add summary{list-style:none;font-weight:600;color:var(--brand);min-height:44px;display:flex;align-items:center;cursor:pointer}.ssr-add summary::before{content:"+";margin-right:.5rem;font-size:1.2rem}.ssr-add form{display:flex;flex-wrap:wrap;gap:.4rem}
.ssr-hide{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}.ssr-add textarea{flex:1 1 100%;font:inherit;padding:.5rem;border:1px solid var(--line);border-radius:6px}
.ssr-add button,.ssr-dot{font:inherit;font-weight:600;min-height:44px;padding:.4rem 1rem;border-radius:6px;border:1px solid var(--brand);background:var(--brand);color:var(--brand-ink)}
.ssr-waiting{color:var(--ink-soft);font-style:italic}`;

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
