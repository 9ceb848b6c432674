import type { NotePlan } from './plan.ts';

/** Messages between the orchestrator (bench/run.ts) and its load-generator processes. */

/** Which server the clients talk to: Fishbone Live, or the relay as a Yjs or a bare floor. */
export type Target = 'ours' | 'yjs' | 'bare';

/** One simulated phone. `g` is unique in the run; facilitators and passive screens are negative. */
export interface ClientSpec {
  g: number;
  room: number;
  /** Workshop code (ours) or relay room name (floors). */
  code: string;
  /** Facilitator key: only the orchestrator's facilitator clients have one. */
  key?: string;
  /** The notes this phone writes in the brainstorm. */
  notes: NotePlan[];
  /** Ours: time arrivals without a replica (bench/client.ts, the big scenarios' most phones). */
  light?: boolean;
  /** Connect with an address of its own (X-Forwarded-For), past the per-address limits. */
  spread?: boolean;
  /** Bare floor: relay frames as base64 text, as ours sends them (event1k). */
  text?: boolean;
}

/** What the floors replay from our server's run: base64 of Yjs updates. */
export interface ReplayWire {
  /** Per room: the document when the brainstorm began. */
  base: Array<string | null>;
  /** addKey/editKey -> update, only for this worker's notes. */
  updates: Array<[string, string]>;
  /** addKey/editKey -> when ours sent it, ms after the brainstorm began. */
  times: Array<[string, number]>;
}

export type ToWorker =
  | { t: 'join'; target: Target; url: string; clients: ClientSpec[]; joinAt: number[]; replay: ReplayWire | null }
  | { t: 'brainstorm'; start: number }
  | { t: 'settle'; expected: number[]; timeoutMs: number }
  | { t: 'vote'; start: number; windowMs: number; dots: number }
  | { t: 'final'; waitTally: boolean; timeoutMs: number }
  | { t: 'exit' };

export interface Joined {
  t: 'joined';
  joinMs: number[];
  /** Per room: first connect, last synced (mono ms), for the join storm span. */
  span: Array<[room: number, first: number, last: number]>;
  /** Per room: this process's phones that joined. */
  joinedByRoom: Array<[room: number, joined: number]>;
  failed: string[];
}

export interface Sent {
  t: 'sent';
  /** Notes accepted per room (acknowledged by ours; sent, for a floor). */
  added: number[];
  edits: number;
  refused: Record<string, number>;
}

export interface Settled {
  t: 'settled';
  /** Note tag -> send time. */
  sends: Array<[string, number]>;
  /** Ours: addKey/editKey -> when it was sent, ms after the brainstorm began. */
  emitted: Array<[string, number]>;
  /** Note tag -> latest arrival over this process's clients, and how many of them saw it. */
  seen: Array<[string, number, number]>;
  /** Command -> ack latencies (ours only). */
  acks: Record<string, number[]>;
  /** Clients whose replica did not reach the expected note count in time. */
  behind: number;
  outOfOrder: number;
  sequenced: number;
  sequenceTimeouts: number;
  /** This process's longest event-loop delay during the brainstorm, in ms. */
  stallMs: number;
}

export interface Voted {
  t: 'voted';
  acks: number[];
  refused: Record<string, number>;
}

export interface Final {
  t: 'final';
  /** Per full replica: its room and its content's fingerprint (bench/digest.ts). */
  digests: Array<[room: number, digest: string]>;
  /** Per room: when the last of this process's clients saw the tally (mono ms), or null. */
  tallyAt: Array<number | null>;
  missingTally: number;
  /** Bytes received on the wire by this process's participants, and how many they are. */
  bytes: number;
  participants: number;
  /** Per room: the encoded size of one replica (ours and the Yjs floor). */
  docBytes: Array<number | null>;
}

export type FromWorker = { t: 'ready' } | Joined | Sent | Settled | Voted | Final | { t: 'error'; message: string };
