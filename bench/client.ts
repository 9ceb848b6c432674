import { randomBytes } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import * as Y from 'yjs';
import { docParts } from '../shared/doc.ts';
import { mono } from './clock.ts';
import { addressOf, digest, hasTally, tagsIn } from './digest.ts';
import type { ClientSpec, Target } from './ipc.ts';

/**
 * A simulated phone, the same code for every target so that only the server differs:
 * - ours: joins a workshop, sends commands, applies every `doc` update to its Y.Doc replica;
 * - Yjs floor: joins a relay room and, for each of its notes, sends the very update bytes our
 *   server broadcast for that note (recorded in the same run); applies what it receives;
 * - bare floor: sends a frame of the same size, and only notes when one arrives.
 * Each note's text ends with a tag "[n G.K]" (sender G, its K-th note), so every receiver can
 * tell which note just appeared and the send time can be matched across processes.
 */

const ACK_TIMEOUT_MS = 15_000;
/** A join storm of 1,000 on a busy machine takes longer than a command may: the storm is measured, not cut short. */
export const JOIN_TIMEOUT_MS = 60_000;
/** Bare-floor frames carry the tag in their first 8 bytes; this K marks an edit. */
const EDIT_K = 0xffffffff;

/** A replica's content, as a fingerprint: equal for converged replicas. */
export const docDigest = (doc: Y.Doc): string =>
  digest(Object.fromEntries(Object.entries(docParts(doc)).map(([name, map]) => [name, map.toJSON()])));

export const tagOf = (text: string): string | null => {
  const i = text.lastIndexOf('[n ');
  return i < 0 ? null : text.slice(i + 3, -1);
};
const senderOf = (tag: string): number => Number(tag.slice(0, tag.indexOf('.')));
/** Updates arrive as binary; a base64 string is accepted too (one text frame instead of two). */
const bytes = (u: Uint8Array | string): Uint8Array => (typeof u === 'string' ? Buffer.from(u, 'base64') : u);
/** Replay keys: a note's update, and its edit's. */
export const addKey = (tag: string) => tag;
export const editKey = (tag: string) => `${tag}:e`;

/** When each note reached the screens of one process: the latest arrival and how many saw it. */
export class Tracker {
  readonly seen = new Map<string, { max: number; n: number }>();
  /** Accepted notes: tag -> send time (mono ms). */
  readonly sends = new Map<string, number>();
  readonly acks: Record<string, number[]> = {};
  /** Ours: when each note and edit was sent (addKey/editKey -> mono ms), for the floors' schedule. */
  readonly emitted = new Map<string, number>();
  /** Yjs floor: updates that arrived before the one they build on (Yjs held them back). */
  outOfOrder = 0;
  /** Yjs floor: sends that first waited for an earlier update, and those that gave up waiting. */
  sequenced = 0;
  sequenceTimeouts = 0;

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

export interface Replay {
  /** The room's document as it stood when the brainstorm began (floors start from it). */
  base: Uint8Array | null;
  /** addKey/editKey -> the update our server broadcast for it. */
  updates: Map<string, Uint8Array>;
  /** addKey/editKey -> when ours sent it, in ms after the brainstorm began. */
  times: Map<string, number>;
}

export class BenchClient {
  readonly socket: Socket;
  /** The replica (ours, Yjs floor). */
  readonly doc: Y.Doc | null;
  /** Notes the bare floor has delivered here. */
  #bareCount = 0;
  /** A light phone (ours, no replica): the tags of the notes it has seen arrive. */
  readonly #tags: Set<string> | null;
  /** Our notes' ids (ours: from the ack), by sequence number. */
  readonly noteIds: Array<Promise<string | null>> = [];
  joinStart = 0;
  joinedAt = 0;
  tallyAt: number | null = null;
  self: unknown = null;
  stats: unknown = null;
  #seq = 0;
  #applying: Uint8Array | null = null;
  /** Ours, facilitator only: keep the update of every note and edit, for the floors to replay. */
  recorded: Map<string, Uint8Array> | null = null;

  constructor(
    readonly target: Target,
    url: string,
    readonly spec: ClientSpec,
    private readonly tracker: Tracker,
    private readonly replay: Replay | null = null,
  ) {
    this.joinStart = mono();
    // The big scenarios give every phone its own address (the server trusts X-Forwarded-For from
    // loopback), as phones on many networks would have, so the per-address limits do not apply.
    const extraHeaders = spec.spread ? { 'x-forwarded-for': addressOf(spec.g) } : undefined;
    this.socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, timeout: 20_000, extraHeaders });
    const light = target === 'ours' && spec.light === true;
    this.doc = target === 'bare' || light ? null : new Y.Doc();
    this.#tags = light ? new Set() : null;
    if (target === 'bare') {
      this.socket.on('doc', (frame: Buffer | string) =>
        this.#bareArrived(typeof frame === 'string' ? Buffer.from(frame, 'base64') : frame),
      );
    } else if (light) {
      this.socket.on('doc', (update: Uint8Array | string) => this.#lightArrived(bytes(update)));
    } else {
      this.socket.on('doc', (update: Uint8Array | string) => this.#apply(bytes(update)));
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
    let reply: { ok: boolean; code?: string; update?: Uint8Array | string };
    if (this.target === 'ours') {
      const who = this.spec.key
        ? { as: 'facilitator', code: this.spec.code, key: this.spec.key }
        : { as: 'participant', code: this.spec.code, token: randomBytes(16).toString('base64url') };
      // As the web client: a new phone's replica is empty, so it sends no state vector.
      reply = await this.socket.timeout(JOIN_TIMEOUT_MS).emitWithAck('join', who);
      if (reply.ok && this.doc) Y.applyUpdate(this.doc, bytes(reply.update!), 'server');
      // A light phone knows the notes already on the board (but does not time them).
      else if (reply.ok) for (const tag of tagsIn(bytes(reply.update!))) this.#tags!.add(tag);
    } else {
      reply = await this.socket.timeout(JOIN_TIMEOUT_MS).emitWithAck('join', { room: this.spec.code });
      // The floor's stand-in for the join sync: the same document our replicas started from.
      if (this.doc && this.replay?.base) Y.applyUpdate(this.doc, this.replay.base, 'server');
    }
    if (!reply.ok) throw new Error(`join refused: ${reply.code}`);
    if (this.doc) this.#watch(this.doc);
    this.joinedAt = mono();
    return this.joinedAt - this.joinStart;
  }

  #apply(update: Uint8Array): void {
    this.#applying = update;
    Y.applyUpdate(this.doc!, update, 'server');
    this.#applying = null;
    if (this.target === 'yjs' && this.doc!.store.pendingStructs) this.tracker.outOfOrder++;
  }

  /** Observers a screen would have: new notes (timed) and the reveal's tally. */
  #watch(doc: Y.Doc): void {
    const { notes, results } = docParts(doc);
    notes.observe((e) => {
      const t = mono();
      for (const [key, change] of e.changes.keys) {
        const tag = tagOf(notes.get(key)?.text ?? '');
        if (!tag) continue;
        if (this.recorded && this.#applying) this.recorded.set(change.action === 'add' ? addKey(tag) : editKey(tag), this.#applying);
        if (change.action === 'add' && senderOf(tag) !== this.g) this.tracker.see(tag, t);
      }
    });
    results.observe(() => {
      if (this.tallyAt === null && results.has('tally')) this.tallyAt = mono();
    });
  }

  /**
   * A light phone times a note's arrival without applying the update: the first update that
   * carries a tag is the note's (an edit, later, carries it again). Decoding the base64 and
   * scanning it costs a fraction of Y.applyUpdate, so two cores can host thousands.
   */
  #lightArrived(update: Uint8Array): void {
    const t = mono();
    for (const tag of tagsIn(update)) {
      if (this.#tags!.has(tag)) continue;
      this.#tags!.add(tag);
      if (senderOf(tag) !== this.g) this.tracker.see(tag, t);
    }
    if (this.tallyAt === null && hasTally(update)) this.tallyAt = t;
  }

  /** Whether this phone holds a full replica (light phones and the bare floor do not). */
  get full(): boolean {
    return this.doc !== null;
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
    return this.doc ? docParts(this.doc).notes.size : this.#tags ? this.#tags.size : this.#bareCount;
  }

  /** A command to our server; resolves with its answer (timeouts and errors become answers). */
  async command(cmd: Record<string, unknown>): Promise<Ack> {
    const t0 = mono();
    let res: Ack;
    try {
      res = await this.socket
        .timeout(ACK_TIMEOUT_MS)
        .emitWithAck('cmd', { ...cmd, id: `b${this.g}-${++this.#seq}-${randomBytes(3).toString('hex')}` });
    } catch {
      res = { ok: false, code: 'timeout' };
    }
    if (res.ok) this.tracker.ack(String(cmd.type), mono() - t0);
    return res;
  }

  /** Write note number k of this participant. */
  async addNote(k: number, boneId: string, phrase: string): Promise<Ack> {
    const tag = `${this.g}.${k}`;
    if (this.target === 'ours') {
      const t0 = mono();
      this.tracker.emitted.set(addKey(tag), t0);
      const sent = this.command({ type: 'note.add', boneId, text: `${phrase} [n ${tag}]` });
      this.noteIds[k] = sent.then((r) => (r.ok ? (r.noteId ?? null) : null));
      const res = await sent;
      // Only accepted notes are expected on the screens.
      if (res.ok) this.tracker.sends.set(tag, t0);
      return res;
    }
    const update = this.replay?.updates.get(addKey(tag));
    if (!update) return { ok: false, code: 'not_in_recording' };
    await this.#inOrder(update);
    this.tracker.sends.set(tag, mono());
    this.#relay(update, k);
    return { ok: true };
  }

  async editNote(k: number, phrase: string): Promise<Ack> {
    const tag = `${this.g}.${k}`;
    if (this.target === 'ours') {
      const id = await this.noteIds[k];
      if (!id) return { ok: false, code: 'no_note' };
      this.tracker.emitted.set(editKey(tag), mono());
      return this.command({ type: 'note.edit', noteId: id, text: `${phrase} [n ${tag}]` });
    }
    const update = this.replay?.updates.get(editKey(tag));
    if (!update) return { ok: false, code: 'not_in_recording' };
    await this.#inOrder(update);
    this.#relay(update, EDIT_K);
    return { ok: true };
  }

  /**
   * Our server's updates form one sequence (one writer, consecutive clocks); a receiver holds an
   * update back until it has the one before. A plain relay does not keep that order across
   * senders, so a Yjs-floor sender waits until its own replica has every earlier update, then
   * sends, and the clock starts at the send: the floor stays a floor (no server, free sequencing).
   * The floors send at the times ours did (Replay.times), so such waits are short and rare.
   */
  async #inOrder(update: Uint8Array): Promise<void> {
    if (this.target !== 'yjs') return;
    const doc = this.doc!;
    const from = Y.parseUpdateMeta(update).from;
    const ready = () => [...from].every(([client, clock]) => Y.getState(doc.store, client) >= clock);
    if (ready()) return;
    this.tracker.sequenced++;
    await new Promise<void>((resolve) => {
      const check = () => {
        if (!ready()) return;
        doc.off('update', check);
        clearTimeout(timer);
        resolve();
      };
      // Bounded: a missing predecessor must not stall the run.
      const timer = setTimeout(() => {
        doc.off('update', check);
        this.tracker.sequenceTimeouts++;
        resolve();
      }, 20_000);
      doc.on('update', check);
    });
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
    // As ours sends updates since fix 1: one base64 text frame, which socket.io encodes once for
    // the whole room (a binary one is encoded again for every socket, in two frames).
    this.socket.emit('doc', this.spec.text ? frame.toString('base64') : frame);
  }

  /** Bytes this phone received on the wire (HTTP upgrade and WebSocket frames). */
  get bytesRead(): number {
    const transport = this.socket.io.engine?.transport as unknown as { ws?: { _socket?: { bytesRead: number } } } | undefined;
    return transport?.ws?._socket?.bytesRead ?? 0;
  }

  close(): void {
    this.socket.disconnect();
    this.doc?.destroy();
  }
}
