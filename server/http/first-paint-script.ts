import { createHash } from 'node:crypto';

/**
 * The first paint's own few lines of script, inline in the participant page right after the
 * server-drawn board (participant-html.ts), so a phone on a slow network can add a note or place
 * a dot as soon as it can read the board, long before the page's code has arrived (issue 17).
 *
 * It arms the first paint's forms and dot buttons and puts what they make into the outbox the
 * live page keeps in localStorage (client/src/lib/offline-copy.ts, `fishbone:outbox:CODE`):
 * the same commands, with client-made ids, that the live page would have queued while
 * connecting. The live page reads that outbox when it starts and sends it once connected; the
 * ids make a retry safe. It also opens the page's WebSocket for socket.io's client to take over
 * (client/src/lib/early-socket.ts), and sends nothing on it.
 *
 * Plain ES2017 (every phone that runs the live page runs this), no dependencies. The Content
 * Security Policy allows exactly this text by its hash (security.ts), no other inline script.
 */
export const FIRST_PAINT_SCRIPT = `(function () {
  var ssr = document.querySelector('[data-ssr]');
  if (!ssr) return;
  var code = (ssr.getAttribute('data-code') || '').toUpperCase();
  var key = 'fishbone:outbox:' + code;
  var pending = ssr.getAttribute('data-pending') || '';
  var waitingDots = ssr.getAttribute('data-waiting-dots') || '';
  function newId() {
    var b = crypto.getRandomValues(new Uint8Array(12)), s = '';
    for (var i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
    return btoa(s).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
  }
  function queue(cmd) {
    try {
      var list = JSON.parse(localStorage.getItem(key) || '[]');
      if (!Array.isArray(list)) list = [];
      cmd.id = newId();
      list.push(cmd);
      localStorage.setItem(key, JSON.stringify(list));
      return true;
    } catch (e) {
      return false;
    }
  }
  ssr.addEventListener('submit', function (e) {
    var form = e.target, bone = form.getAttribute('data-bone');
    if (!bone) return;
    e.preventDefault();
    var field = form.elements.text, text = field.value.replace(/\\s+/g, ' ').trim();
    if (!text || !queue({ type: 'note.add', boneId: bone, subBoneId: null, text: text })) return;
    field.value = '';
    var list = form.closest('section').querySelector('ul'), li = document.createElement('li');
    li.className = 'ssr-waiting';
    li.textContent = text + ' (' + pending + ')';
    list.hidden = false;
    list.appendChild(li);
  });
  ssr.addEventListener('keydown', function (e) {
    if (e.key !== 'Enter' || e.isComposing || e.target.tagName !== 'TEXTAREA') return;
    e.preventDefault();
    e.target.form.requestSubmit();
  });
  ssr.addEventListener('click', function (e) {
    var button = e.target.closest && e.target.closest('button[data-note]');
    if (!button || !queue({ type: 'vote.change', noteId: button.getAttribute('data-note'), delta: 1 })) return;
    var n = Number(button.getAttribute('data-waiting') || 0) + 1, note = button.nextElementSibling;
    button.setAttribute('data-waiting', String(n));
    if (!note || note.className !== 'ssr-waiting') {
      note = document.createElement('span');
      note.className = 'ssr-waiting';
      button.parentNode.insertBefore(note, button.nextSibling);
    }
    note.textContent = ' ' + waitingDots.replace('#', String(n));
  });
  ssr.setAttribute('data-armed', '');
  // The connection, opened now rather than once the page's code has arrived: the handshake
  // overlaps that download. socket.io's client takes it over (client/src/lib/early-socket.ts).
  try {
    var early = { ws: new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/socket.io/?w=' + encodeURIComponent(code) + '&EIO=4&transport=websocket'), messages: [] };
    early.ws.binaryType = 'arraybuffer';
    early.ws.onmessage = function (e) {
      early.messages.push(e.data);
    };
    window.__fishboneSocket = early;
  } catch (e) {
    /* the page's code connects as usual */
  }
})();`;

/** The Content Security Policy's source expression for the script above. */
export const FIRST_PAINT_SCRIPT_HASH = `'sha256-${createHash('sha256').update(FIRST_PAINT_SCRIPT).digest('base64')}'`;
