import * as Y from 'yjs';
import type { Role } from '../../shared/commands.ts';
import { docParts, type Meta, type Note } from '../../shared/doc.ts';
import type { Result } from '../../shared/errors.ts';
import type { OwnNote, SelfView, Stats } from '../../shared/events.ts';
import type { Breakdown } from '../../shared/breakdown.ts';
import type { Phase } from '../../shared/phases.ts';
import { dict } from '../../shared/safe-keys.ts';
import type { Batch, HiddenNoteRow, KeyRow, LoadedWorkshop, PrivateOp, Store, WorkshopRow } from '../store/store.ts';

/** Who sent a command. `key` is what their command ids and ballots are filed under. */
export interface Actor {
  role: Role;
  /** The participant id, or `f:<keyId>` for a facilitator link. */
  key: string;
}

/** What a committed change must reach: the room, some participants' private views, the counts. */
export interface Effects {
  update: Uint8Array | null;
  selves: Set<string>;
  stats: boolean;
}

export interface Fanout {
  committed(w: Workshop, effects: Effects): void;
}

const COMPACT_EVERY = 300;
const SERVER_ORIGIN = 'server';

class Tx {
  ops: PrivateOp[] = [];
  updates: Uint8Array[] = [];
  selves = new Set<string>();
  stats = false;
}

/**
 * One open workshop: its authoritative Y.Doc and, beside it and never in it, the private facts
 * (authorship, ballots, hidden notes, command results). Changes run one at a time through a
 * queue; each is written to the store as one batch before anyone hears of it.
 */
export class Workshop {
  readonly row: WorkshopRow;
  readonly doc: Y.Doc;
  readonly parts: ReturnType<typeof docParts>;
  /** Participant id -> the group they chose (for breakdowns of 3+ only), or null. */
  readonly participants = new Map<string, string | null>();
  readonly authors = new Map<string, Set<string>>();
  readonly notesBy = new Map<string, Set<string>>();
  readonly hidden = new Map<string, HiddenNoteRow>();
  /** Notes a facilitator hid: off the document, kept here to bring back. */
  readonly moderated = new Map<string, Note>();
  readonly ballots = new Map<string, Map<string, number>>();
  readonly keys = new Map<string, KeyRow>();
  readonly #commands = new Map<string, string>();
  /** The group breakdown (JSON of shared/breakdown.ts Breakdown), from the reveal on. */
  breakdownJson: string | null;
  /** Live sockets: socket id -> who. Counts only ever leave this class. */
  readonly connections = new Map<string, { role: Role; key: string | null }>();
  #queue: Promise<unknown> = Promise.resolve();
  #tx: Tx | null = null;
  #updatesSinceSnapshot: number;
  broken = false;

  constructor(
    loaded: LoadedWorkshop,
    private readonly store: Store,
    private readonly fanout: Fanout,
    private readonly now: () => number,
  ) {
    this.row = loaded.row;
    this.doc = new Y.Doc({ gc: true });
    for (const u of loaded.updates) Y.applyUpdate(this.doc, u, 'store');
    // Yjs gives a doc a new client id when it loads items written under its own; set it after
    // loading so every item, across restarts, carries the workshop's one server client id.
    this.doc.clientID = loaded.row.serverClientId;
    this.parts = docParts(this.doc);
    this.#updatesSinceSnapshot = loaded.updates.length;
    const p = loaded.priv;
    p.participants.forEach((x) => this.participants.set(x.participantId, x.group));
    this.breakdownJson = p.breakdown;
    p.authors.forEach((a) => this.#link(a.noteId, a.participantId));
    p.hidden.forEach((h) => this.hidden.set(h.noteId, h));
    p.moderated.forEach((m) => this.moderated.set(m.noteId, JSON.parse(m.json) as Note));
    p.ballots.forEach((b) => this.#ballotOf(b.participantId).set(b.noteId, b.dots));
    p.commands.forEach((c) => this.#commands.set(`${c.actor}|${c.commandId}`, c.result));
    p.keys.forEach((k) => this.keys.set(k.id, k));
    this.doc.on('update', (u: Uint8Array, origin: unknown) => {
      if (origin === SERVER_ORIGIN) this.#tx?.updates.push(u);
    });
  }

  get id(): string {
    return this.row.id;
  }

  meta<K extends keyof Meta>(k: K): Meta[K] {
    return this.parts.meta.get(k) as Meta[K];
  }

  get phase(): Phase {
    return this.meta('phase');
  }

  note(id: string): Note | undefined {
    return this.parts.notes.get(id);
  }

  /**
   * Run a change: serially, inside one Yjs transaction, then persist, then answer, then fan out.
   * `answer` hears the result as soon as it is durable, before the room (a big room's broadcast
   * would otherwise delay every sender's acknowledgement). A command id that already succeeded
   * for this actor is answered with its first answer and changes nothing. Failed commands change
   * nothing and are not remembered, so a retry is judged afresh.
   */
  run<T extends object>(
    actor: Actor | null,
    commandId: string | null,
    change: () => Result<T>,
    answer?: (r: Result<T>) => void,
  ): Promise<Result<T>> {
    const task = this.#queue.then(async () => {
      const { result, effects } = await this.#apply(actor, commandId, change);
      answer?.(result);
      if (effects) this.fanout.committed(this, effects);
      return result;
    });
    this.#queue = task.catch(() => undefined);
    return task;
  }

  async #apply<T extends object>(
    actor: Actor | null,
    commandId: string | null,
    change: () => Result<T>,
  ): Promise<{ result: Result<T>; effects?: Effects }> {
    if (this.broken) return { result: { ok: false, code: 'internal', message: 'This workshop is reloading; please try again.' } };
    const memo = actor && commandId ? `${actor.key}|${commandId}` : null;
    const prior = memo ? this.#commands.get(memo) : undefined;
    if (prior) return { result: JSON.parse(prior) as Result<T> };
    const tx = (this.#tx = new Tx());
    let result: Result<T>;
    try {
      this.doc.transact(() => {
        result = change();
      }, SERVER_ORIGIN);
    } finally {
      this.#tx = null;
    }
    result = result!;
    if (!result.ok) {
      if (tx.ops.length || tx.updates.length) this.#fail(new Error('a refused change left effects behind'));
      return { result };
    }
    if (memo) {
      // A new co-facilitator key is shown once and never stored: its retry answer omits it.
      const text = JSON.stringify(result, (k, v) => (k === 'key' ? undefined : v));
      this.#commands.set(memo, text);
      tx.ops.push({ t: 'command', actor: actor!.key, commandId: commandId!, result: text });
    }
    const update = tx.updates.length === 0 ? null : tx.updates.length === 1 ? tx.updates[0] : Y.mergeUpdates(tx.updates);
    const batch: Batch = { docUpdate: update, docSnapshot: null, ops: tx.ops };
    if (update && ++this.#updatesSinceSnapshot > COMPACT_EVERY) {
      batch.docSnapshot = Y.encodeStateAsUpdate(this.doc);
      this.#updatesSinceSnapshot = 1;
    }
    if (update || tx.ops.length) {
      try {
        await this.store.commit(this.id, batch);
      } catch (err) {
        // Memory is now ahead of the store: refuse and let the registry reload from the store.
        if (memo) this.#commands.delete(memo);
        this.#fail(err);
        return { result: { ok: false, code: 'internal', message: 'The change could not be saved; please try again.' } };
      }
    }
    return { result, effects: { update, selves: tx.selves, stats: tx.stats } };
  }

  #fail(err: unknown): void {
    this.broken = true;
    console.error(`workshop ${this.row.code}: ${String(err)}`);
  }

  #op(op: PrivateOp): void {
    if (!this.#tx) throw new Error('private state changed outside a change');
    this.#tx.ops.push(op);
  }

  touchSelf(participantId: string): void {
    this.#tx?.selves.add(participantId);
  }

  touchStats(): void {
    if (this.#tx) this.#tx.stats = true;
  }

  // --- private state: every change is mirrored into the current batch ---

  addParticipant(id: string): void {
    if (this.participants.has(id)) return;
    this.participants.set(id, null);
    this.#op({ t: 'participant', participantId: id });
  }

  setGroup(id: string, group: string | null): void {
    this.participants.set(id, group);
    this.#op({ t: 'group', participantId: id, group });
    this.touchSelf(id);
  }

  setBreakdown(json: string): void {
    this.breakdownJson = json;
    this.#op({ t: 'breakdown', json });
    for (const c of this.connections.values()) if (c.role === 'facilitator' && c.key) this.touchSelf(c.key);
  }

  /**
   * Closing: forget every link between people and notes or ballots, in memory and in the store,
   * so a later breach cannot tell who wrote or backed what. The document's aggregates stay.
   */
  purgePrivate(closedAt: number): void {
    for (const pid of this.notesBy.keys()) this.touchSelf(pid);
    this.participants.clear();
    this.authors.clear();
    this.notesBy.clear();
    this.hidden.clear();
    this.moderated.clear();
    this.ballots.clear();
    this.#commands.clear();
    this.row.closedAt = closedAt;
    this.#op({ t: 'purge', closedAt });
  }

  #link(noteId: string, participantId: string): void {
    if (!this.authors.has(noteId)) this.authors.set(noteId, new Set());
    this.authors.get(noteId)!.add(participantId);
    if (!this.notesBy.has(participantId)) this.notesBy.set(participantId, new Set());
    this.notesBy.get(participantId)!.add(noteId);
  }

  addAuthor(noteId: string, participantId: string): void {
    this.#link(noteId, participantId);
    this.#op({ t: 'author', noteId, participantId });
    this.touchSelf(participantId);
  }

  /** Forget a note's authors (the note is gone); tells each of them. */
  dropAuthors(noteId: string): void {
    for (const pid of this.authors.get(noteId) ?? []) {
      this.notesBy.get(pid)?.delete(noteId);
      this.touchSelf(pid);
    }
    this.authors.delete(noteId);
    this.#op({ t: 'unauthor', noteId });
  }

  /** One of several people who raised a note withdraws from it. */
  dropAuthor(noteId: string, participantId: string): void {
    this.authors.get(noteId)?.delete(participantId);
    this.notesBy.get(participantId)?.delete(noteId);
    this.#op({ t: 'author.del', noteId, participantId });
    this.touchSelf(participantId);
  }

  isAuthor(noteId: string, key: string): boolean {
    return this.authors.get(noteId)?.has(key) ?? false;
  }

  /** Tell a note's authors that something about it changed. */
  touchAuthors(noteId: string): void {
    for (const pid of this.authors.get(noteId) ?? []) this.touchSelf(pid);
  }

  putHidden(row: HiddenNoteRow): void {
    this.hidden.set(row.noteId, row);
    this.#op({ t: 'hidden.put', row });
    this.touchStats();
  }

  deleteHidden(noteId: string): void {
    this.hidden.delete(noteId);
    this.#op({ t: 'hidden.del', noteId });
    this.touchStats();
  }

  /** Moderation: hide a visible note (off every screen) or bring a hidden one back. */
  setModerated(note: Note, hidden: boolean): void {
    if (hidden) {
      this.moderated.set(note.id, note);
      this.#op({ t: 'moderated.put', noteId: note.id, json: JSON.stringify(note) });
    } else {
      this.moderated.delete(note.id);
      this.#op({ t: 'moderated.del', noteId: note.id });
    }
    for (const c of this.connections.values()) if (c.role === 'facilitator' && c.key) this.touchSelf(c.key);
  }

  #ballotOf(key: string): Map<string, number> {
    let b = this.ballots.get(key);
    if (!b) this.ballots.set(key, (b = new Map()));
    return b;
  }

  dotsOf(key: string): number {
    let sum = 0;
    for (const d of this.ballots.get(key)?.values() ?? []) sum += d;
    return sum;
  }

  setDots(key: string, noteId: string, dots: number): void {
    const b = this.#ballotOf(key);
    if (dots > 0) b.set(noteId, dots);
    else b.delete(noteId);
    this.#op({ t: 'ballot', participantId: key, noteId, dots });
    this.touchSelf(key);
    this.touchStats();
  }

  /** A note left the board: its dots go back to whoever placed them. */
  clearNoteBallots(noteId: string): void {
    let any = false;
    for (const [key, b] of this.ballots) {
      if (b.delete(noteId)) {
        any = true;
        this.touchSelf(key);
      }
    }
    if (any) {
      this.#op({ t: 'ballot.clearNote', noteId });
      this.touchStats();
    }
  }

  addKey(row: KeyRow): void {
    this.keys.set(row.id, row);
    this.#op({ t: 'key.add', row });
  }

  revokeKey(id: string): void {
    const k = this.keys.get(id);
    if (k) k.revoked = true;
    this.#op({ t: 'key.revoke', id });
  }

  setMeta<K extends keyof Meta>(k: K, v: Meta[K]): void {
    this.parts.meta.set(k, v);
    if (k === 'title' || k === 'phase') {
      this.#op({ t: 'workshop', title: this.meta('title'), phase: this.meta('phase') });
      this.row.title = this.meta('title');
      this.row.phase = this.meta('phase');
    }
  }

  // --- views ---

  selfView(key: string): SelfView {
    const notes: OwnNote[] = [];
    for (const id of this.notesBy.get(key) ?? []) {
      const h = this.hidden.get(id);
      const n = h ? null : this.note(id);
      if (h) notes.push({ id, boneId: h.boneId, subBoneId: h.subBoneId, text: h.text, hidden: true, merged: false });
      else if (n) notes.push({ id, boneId: n.boneId, subBoneId: n.subBoneId, text: n.text, hidden: false, merged: n.merged });
    }
    const ballot = Object.fromEntries(this.ballots.get(key) ?? []);
    const view: SelfView = { notes, ballot, dotsLeft: this.meta('budget') - this.dotsOf(key), group: this.participants.get(key) ?? null };
    if (key.startsWith('f:') && this.breakdownJson) view.breakdown = JSON.parse(this.breakdownJson) as Breakdown;
    if (key.startsWith('f:')) view.moderated = [...this.moderated.values()];
    if (this.keys.get(key.slice(2))?.kind === 'owner' && key.startsWith('f:')) {
      view.links = [...this.keys.values()].filter((k) => k.kind === 'co' && !k.revoked).map((k) => ({ id: k.id, createdAt: k.createdAt }));
    }
    return view;
  }

  stats(): Stats {
    const connected = { participants: 0, facilitators: 0, screens: 0 };
    const present = new Set<string>();
    const votesToo = this.meta('facilitatorVotes');
    for (const c of this.connections.values()) {
      if (c.role === 'screen') connected.screens++;
      else if (c.role === 'facilitator') connected.facilitators++;
      if (c.key && (c.role === 'participant' || votesToo)) present.add(c.key);
    }
    // Distinct people, however many tabs each has open.
    connected.participants = [...present].filter((k) => !k.startsWith('f:')).length;
    let voters = 0;
    let dotsPlaced = 0;
    for (const [key, b] of this.ballots) {
      if (b.size === 0) continue;
      voters++;
      present.add(key);
      for (const d of b.values()) dotsPlaced += d;
    }
    const hiddenByBone = dict<number>();
    for (const h of this.hidden.values()) hiddenByBone[h.boneId] = (hiddenByBone[h.boneId] ?? 0) + 1;
    const eligible = present.size;
    return {
      connected,
      hiddenByBone,
      turnout: { voters, eligible, dotsPlaced, dotsTotal: eligible * this.meta('budget') },
      serverTime: this.now(),
    };
  }
}
