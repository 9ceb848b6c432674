import { randomBytes } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import * as Y from 'yjs';
import { docParts, type Note } from '../shared/doc.ts';
import { mono } from './clock.ts';
import type { ClientSpec, Target } from './ipc.ts';

/**
 * A simulated phone, the same code for every target so only the server differs:
 * - ours: joins a workshop, sends commands, applies every `doc` update to its Y.Doc replica;
 * - yjs floor: joins a relay room, sends the Yjs update a note makes, applies what it receives;
 * - bare floor: sends a message of the same size, and only notes when one arrives.
 * Each note's text ends with a tag "[n G.K]" (sender G, its K-th note), so every receiver can
 * say which note just appeared and the send time can be matched across processes.
 */

const ACK_TIMEOUT_MS = 15_000;
/** Bare-floor frames carry the tag in their first 8 bytes; this K marks an edit. */
const EDIT_K = 0xffffffff;

export const tagOf = (text: string): string | null => {
  const i = text.lastIndexOf('[n ');
  return i < 0 ? null : text.slice(i + 3, -1);
};
const senderOf = (tag: string): number => Number(tag.slice(0, tag.indexOf('.')));

/** When each note reached the screens of one process: the latest arrival and how many saw it. */
export class Tracker {
  readonly seen = new Map<string, { max: number; n: number }>();
  readonly sends = new Map<string, number>();
  readonly acks: Record<string, number[]> = {};

  see(tag: string, t: number): void {
    const s = this.seen.get(tag);
    if (s) {
      s.n++;
      if (t > s.max) s.max = t;
    } else this.seen.set(tag, { max: t, n: 1 });
  }

  ack(type: string, ms: number): void {
    (this.acks[type] ??= []).push(ms);
  }
}

export type Ack = { ok: true; noteId?: string } | { ok: false; code: string; message?: string };

export class BenchClient {
  readonly socket: Socket;
  /** The replica (ours, Yjs floor). */
  readonly doc: Y.Doc | null;
  /** A floor sender's own document: its notes' updates are what it relays. */
  #writer: Y.Doc | null = null;
  #writerUpdate: Uint8Array | null = null;
  /** Notes the bare floor has delivered here. */
  #bareCount = 0;
  /** Our notes' ids (ours: from the ack; floors: chosen here), by sequence number. */
  readonly noteIds: Array<Promise<string | null>> = [];
  joinStart = 0;
  joinedAt = 0;
  tallyAt: number | null = null;
  self: unknown = null;
  stats: unknown = null;
  #seq = 0;

  constructor(
    readonly target: Target,
    url: string,
    readonly spec: ClientSpec,
    private readonly tracker: Tracker,
  ) {
    this.joinStart = mono();
    this.socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, timeout: 20_000 });
    this.doc = target === 'bare' ? null : new Y.Doc();
    if (target === 'bare') {
      this.socket.on('doc', (frame: Buffer) => this.#bareArrived(frame));
    } else {
      this.socket.on('doc', (update: Uint8Array) => Y.applyUpdate(this.doc!, update, 'server'));
    }
    if (target === 'ours') {
      // What a real phone keeps of its private view and the counts.
      this.socket.on('self', (s: unknown) => (this.self = s));
      this.socket.on('stats', (s: unknown) => (this.stats = s));
    }
  }

  get g(): number {
    return this.spec.g;
  }

  /** Connect and join; resolves when the replica is fully synced. */
  async join(): Promise<number> {
    let reply: { ok: boolean; code?: string; update?: Uint8Array };
    if (this.target === 'ours') {
      const who = this.spec.key
        ? { as: 'facilitator', code: this.spec.code, key: this.spec.key }
        : { as: 'participant', code: this.spec.code, token: randomBytes(16).toString('base64url') };
      reply = await this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck('join', { ...who, stateVector: Y.encodeStateVector(this.doc!) });
      if (reply.ok) Y.applyUpdate(this.doc!, reply.update!, 'server');
    } else {
      reply = await this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck('join', { room: this.spec.code });
    }
    if (!reply.ok) throw new Error(`join refused: ${reply.code}`);
    if (this.doc) this.#watch(this.doc);
    this.joinedAt = mono();
    return this.joinedAt - this.joinStart;
  }

  /** Observers a screen would have: new notes (timed) and the reveal's tally. */
  #watch(doc: Y.Doc): void {
    const { notes, results } = docParts(doc);
    notes.observe((e) => {
      const t = mono();
      for (const [key, change] of e.changes.keys) {
        if (change.action !== 'add') continue;
        const tag = tagOf(notes.get(key)?.text ?? '');
        if (tag && senderOf(tag) !== this.g) this.tracker.see(tag, t);
      }
    });
    results.observe(() => {
      if (this.tallyAt === null && results.has('tally')) this.tallyAt = mono();
    });
  }

  #bareArrived(frame: Buffer): void {
    const t = mono();
    const k = frame.readUInt32LE(4);
    if (k === EDIT_K) return;
    this.#bareCount++;
    const g = frame.readInt32LE(0);
    if (g !== this.g) this.tracker.see(`${g}.${k}`, t);
  }

  /** How many notes this screen shows. */
  get noteCount(): number {
    return this.doc ? docParts(this.doc).notes.size : this.#bareCount;
  }

  /** A command to our server; resolves with its answer (timeouts and errors become answers). */
  async command(cmd: Record<string, unknown>): Promise<Ack> {
    const t0 = mono();
    let res: Ack;
    try {
      res = await this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck('cmd', { ...cmd, id: `b${this.g}-${++this.#seq}-${randomBytes(3).toString('hex')}` });
    } catch {
      res = { ok: false, code: 'timeout' };
    }
    if (res.ok) this.tracker.ack(String(cmd.type), mono() - t0);
    return res;
  }

  /** Write note number k of this participant. Resolves true if it was accepted. */
  async addNote(k: number, boneId: string, phrase: string): Promise<Ack> {
    const tag = `${this.g}.${k}`;
    const text = `${phrase} [n ${tag}]`;
    if (this.target === 'ours') {
      const t0 = mono();
      const sent = this.command({ type: 'note.add', boneId, text });
      this.noteIds[k] = sent.then((r) => (r.ok ? (r.noteId ?? null) : null));
      const res = await sent;
      // Only accepted notes are expected on the screens.
      if (res.ok) this.tracker.sends.set(tag, t0);
      return res;
    }
    const id = randomBytes(9).toString('base64url');
    this.noteIds[k] = Promise.resolve(id);
    const update = this.#write({ id, boneId, subBoneId: null, text, pick: null, raisedBy: 1, merged: false });
    this.tracker.sends.set(tag, mono());
    this.#relay(update, k);
    return { ok: true, noteId: id };
  }

  async editNote(k: number, phrase: string): Promise<Ack> {
    const id = await this.noteIds[k];
    if (!id) return { ok: false, code: 'no_note' };
    const text = `${phrase} [n ${this.g}.${k}]`;
    if (this.target === 'ours') return this.command({ type: 'note.edit', noteId: id, text });
    const note = docParts(this.#writer!).notes.get(id)!;
    this.#relay(this.#write({ ...note, text }), EDIT_K);
    return { ok: true };
  }

  /** The floor's note: the same Y.Map entry our server writes, made by this phone's own doc. */
  #write(note: Note): Uint8Array {
    if (!this.#writer) {
      this.#writer = new Y.Doc();
      this.#writer.on('update', (u: Uint8Array) => (this.#writerUpdate = u));
    }
    docParts(this.#writer).notes.set(note.id, note);
    return this.#writerUpdate!;
  }

  #relay(update: Uint8Array, k: number): void {
    if (this.target === 'yjs') {
      this.socket.emit('doc', update);
      return;
    }
    // Same size, but opaque: the tag replaces the first 8 bytes and nobody decodes the rest.
    const frame = Buffer.from(update);
    frame.writeInt32LE(this.g, 0);
    frame.writeUInt32LE(k, 4);
    this.socket.emit('doc', frame);
  }

  /** Bytes this phone received on the wire (HTTP upgrade and WebSocket frames). */
  get bytesRead(): number {
    const transport = this.socket.io.engine?.transport as unknown as { ws?: { _socket?: { bytesRead: number } } } | undefined;
    return transport?.ws?._socket?.bytesRead ?? 0;
  }

  close(): void {
    this.socket.disconnect();
    this.doc?.destroy();
    this.#writer?.destroy();
  }
}

const PHRASES = [
  'Different budget cycles between health and social care',
  'Nobody owns the handover between teams',
  'Data sharing agreements take months to sign',
  'Too many meetings, not enough decisions',
  'Staff turnover means relationships restart every year',
  'Targets reward each service for its own numbers',
  'Referral forms differ in every organisation',
  'Voluntary sector is invited late, if at all',
  'IT systems cannot talk to each other',
  'Managers are measured on cost, not outcomes',
  'Shift patterns make joint training impossible',
  'Service users repeat their story to every team',
];

export const phrase = (): string => PHRASES[Math.floor(Math.random() * PHRASES.length)];
