import * as Y from 'yjs';
import { AckEffects } from '../../shared/ack-effects.ts';
import { fromBase64 } from '../../shared/base64.ts';
import type { Command, JoinAs, JoinRequest } from '../../shared/commands.ts';
import { readBoard, type Board } from '../../shared/doc.ts';
import type { Result } from '../../shared/errors.ts';
import type { CommandReply, JoinReply, SelfView, Stats } from '../../shared/events.ts';
import type { CommandInput } from '../../shared/commands.ts';
import { cmdId, connectSocket, join, newToken, QUICK_RELEASES, type ClientSocket } from './server.ts';
import { sleep } from './wait.ts';

export { until } from './wait.ts';

const unpadded = ({ pad: _pad, ...view }: SelfView): SelfView => view;

/** Everything one client received, in order, for wire-level assertions. */
export interface Received {
  event: string;
  args: unknown[];
  /** When it arrived (Date.now()): what an adversary watching the room lines up with taps. */
  at: number;
}

/**
 * A scripted participant, facilitator or projector: a real socket.io client with a Yjs replica,
 * that records every packet it receives.
 */
export class TestClient {
  readonly doc = new Y.Doc();
  readonly received: Received[] = [];
  self: SelfView | null = null;
  stats: Stats | null = null;
  socket: ClientSocket;
  joinReply: JoinReply | null = null;
  /** Like the browser client: a success is done once its change is in this replica. */
  readonly #effects = new AckEffects();

  constructor(
    readonly url: string,
    readonly joinAs: JoinAs,
    /** The address a trusted proxy says this client connects from (X-Forwarded-For). */
    readonly from?: string,
  ) {
    this.socket = this.#connect();
  }

  #connect(): ClientSocket {
    const s = connectSocket(this.url, this.from, this.joinAs.code);
    s.onAny((event, ...args) => {
      this.received.push({ event, args, at: Date.now() });
      if (event === 'doc') Y.applyUpdate(this.doc, fromBase64(args[0] as string), 'server');
      if (event === 'self') this.self = unpadded(args[0] as SelfView);
      if (event === 'stats') this.stats = args[0] as Stats;
      if (event === 'doc' || event === 'self') this.#effects.arrived();
    });
    return s;
  }

  static async participant(url: string, code: string, token = newToken()): Promise<TestClient> {
    const c = new TestClient(url, { as: 'participant', code, token });
    await c.join();
    return c;
  }

  static async facilitator(url: string, code: string, key: string): Promise<TestClient> {
    const c = new TestClient(url, { as: 'facilitator', code, key });
    await c.join();
    return c;
  }

  static async screen(url: string, code: string): Promise<TestClient> {
    const c = new TestClient(url, { as: 'screen', code });
    await c.join();
    return c;
  }

  get token(): string | undefined {
    return 'token' in this.joinAs ? this.joinAs.token : undefined;
  }

  async join(): Promise<Result<JoinReply>> {
    // As the web client: a state vector only once the replica holds something.
    const sv = this.doc.store.clients.size ? { stateVector: Y.encodeStateVector(this.doc) } : {};
    const res = await join(this.socket, { ...this.joinAs, ...sv } as JoinRequest);
    this.received.push({ event: 'join:ack', args: [res], at: Date.now() });
    if (!res.ok) throw Object.assign(new Error(`join failed: ${res.code} ${res.message}`), { result: res });
    this.joinReply = res;
    Y.applyUpdate(this.doc, new Uint8Array(res.update), 'server');
    this.self = res.self && unpadded(res.self);
    this.stats = res.stats;
    return res;
  }

  async send(cmd: CommandInput, id = cmdId()): Promise<Result<CommandReply>> {
    // The count is taken in the ack callback itself: a doc in the same TCP read is handled
    // synchronously after it, before any await could resume.
    const [res, mark] = await new Promise<[Result<CommandReply>, number]>((resolve, reject) =>
      this.socket
        .timeout(5000)
        .emit('cmd', { ...cmd, id } as Command, (err: Error | null, r: Result<CommandReply>) =>
          err ? reject(err) : resolve([r, this.#effects.mark()]),
        ),
    );
    this.received.push({ event: 'cmd:ack', args: [res], at: Date.now() });
    if (res.ok) await this.#effects.after(mark);
    return res;
  }

  /** Send and insist on success. */
  async do(cmd: CommandInput): Promise<CommandReply> {
    const res = await this.send(cmd);
    if (!res.ok) throw new Error(`${cmd.type} refused: ${res.code} ${res.message}`);
    return res;
  }

  /** Drop the connection and come back with the replica's state vector. */
  async reconnect(): Promise<JoinReply> {
    this.socket.disconnect();
    this.socket = this.#connect();
    const res = await this.join();
    return res as JoinReply;
  }

  /**
   * Everything the server sent this socket up to now has arrived: socket.io keeps one socket's
   * messages in order, so once a `time` round trip is answered, nothing sent before it is still
   * on its way. A test that checks something did NOT arrive waits for this, never a sleep.
   */
  async sync(): Promise<void> {
    await this.socket.timeout(5000).emitWithAck('time');
  }

  board(): Board {
    return readBoard(this.doc);
  }

  close(): void {
    this.socket.disconnect();
  }
}

/**
 * Wait out a test server's quick releases (QUICK_RELEASES: the disclosure gate's timing on test
 * servers) and the counts' coalescing, then make sure everything sent so far has reached each
 * client: a count that has not moved by then was held back by the gate, not merely late.
 */
export async function pastReleases(clients: TestClient[]): Promise<void> {
  await sleep(QUICK_RELEASES.quietMs + QUICK_RELEASES.jitterMs + QUICK_RELEASES.maxWaitMs + 1000);
  for (const c of clients) await c.sync();
}
