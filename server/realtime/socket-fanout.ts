import type { Server } from 'socket.io';
import type { ClientEvents, ServerEvents } from '../../shared/events.ts';
import { TokenBucket } from '../guard/token-bucket.ts';
import { wireSelfView } from '../workshop/self-view.ts';
import { statsOf } from '../workshop/stats.ts';
import type { Effects, Workshop, WorkshopHooks } from '../workshop/workshop.ts';

/** The socket.io server, as the fan-out uses it (what each socket carries is the gateway's). */
export type IO = Server<ClientEvents, ServerEvents>;

export const roomOf = (w: Workshop) => `w:${w.id}`;
/** Every socket of one person (tabs, reconnects) shares this room for their private view. */
export const selfRoomOf = (w: Workshop, key: string) => `p:${w.id}:${key}`;

/** Counts are coalesced: a big room hears them at most once a second (docs/BENCHMARKS.md). */
const SELF_BURST = 20;
const SELF_PER_SECOND = 10;
const statsDelay = (w: Workshop) => Math.min(1000, 100 + 3 * w.presence.size);

/**
 * Sends what a committed change means to each audience. Counts are coalesced per workshop.
 * Always to this node's own sockets (`io.local`): every socket of a workshop is on its owner
 * (server/cluster/router.ts), and nothing of a workshop, least of all a private view filed under
 * a person's key, may go through the Redis adapter between nodes.
 */
export class SocketFanout implements WorkshopHooks {
  readonly #statsDue = new Map<Workshop, NodeJS.Timeout>();
  /** Per workshop and person: when their view was last sent, and a later send already due. */
  readonly #selves = new WeakMap<Workshop, Map<string, { bucket: TokenBucket; due: NodeJS.Timeout | null }>>();
  readonly #selfTimers = new Set<NodeJS.Timeout>();

  constructor(private readonly io: IO) {}

  committed(w: Workshop, e: Effects): void {
    // One text frame per socket, encoded once for the room (shared/base64.ts says why).
    if (e.update)
      this.io.local.to(roomOf(w)).emit('doc', Buffer.from(e.update.buffer, e.update.byteOffset, e.update.byteLength).toString('base64'));
    for (const key of e.selves) this.self(w, key);
    if (e.stats) this.stats(w);
    for (const { key, reason } of e.ended) this.end(w, reason, selfRoomOf(w, key));
  }

  /** This copy of the workshop may be ahead of the store: everyone reconnects to a fresh one. */
  broken(w: Workshop): void {
    this.io.local.in(roomOf(w)).disconnectSockets(true);
  }

  /** Tell sockets their session is over (deleted workshop, revoked link) and disconnect them. */
  end(w: Workshop, reason: string, room = roomOf(w)): void {
    this.io.local.to(room).emit('ended', reason);
    this.io.local.in(room).disconnectSockets(true);
  }

  /**
   * A person's private view, at once while they act at a human pace (SELF_BURST, then
   * SELF_PER_SECOND); past that the latest view goes when the allowance allows. A flood of a
   * hundred scripted participants in one room otherwise spends the server on their views (each
   * padded) rather than on the room.
   */
  self(w: Workshop, key: string): void {
    let sent = this.#selves.get(w);
    if (!sent) this.#selves.set(w, (sent = new Map()));
    let s = sent.get(key);
    if (!s) sent.set(key, (s = { bucket: new TokenBucket(SELF_BURST, SELF_PER_SECOND), due: null }));
    if (s.due) return;
    const send = () => this.io.local.to(selfRoomOf(w, key)).emit('self', wireSelfView(w, key));
    if (s.bucket.take()) {
      send();
      return;
    }
    const entry = s;
    const later = setTimeout(() => {
      this.#selfTimers.delete(later);
      entry.due = null;
      entry.bucket.take();
      send();
    }, 1000 / SELF_PER_SECOND);
    this.#selfTimers.add((s.due = later));
  }

  stats(w: Workshop): void {
    if (this.#statsDue.has(w)) return;
    this.#statsDue.set(
      w,
      setTimeout(() => {
        this.#statsDue.delete(w);
        this.io.local.to(roomOf(w)).emit('stats', statsOf(w));
      }, statsDelay(w)),
    );
  }

  close(): void {
    for (const t of this.#statsDue.values()) clearTimeout(t);
    this.#statsDue.clear();
    for (const t of this.#selfTimers) clearTimeout(t);
    this.#selfTimers.clear();
  }
}
