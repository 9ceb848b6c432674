import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The roles a socket can have; `unjoined` is a connection that has not joined a workshop yet. */
export const SOCKET_ROLES = ['participant', 'facilitator', 'screen', 'unjoined'] as const;
export type SocketRole = (typeof SOCKET_ROLES)[number];

/** Where a request was cut short by a per-address or per-socket allowance. */
export type LimitedAt = 'http' | 'connect' | 'socket';

/** How this node came to own a workshop (server/cluster/lease.ts). */
export type LeaseTake = 'first' | 'moved' | 'failover';

/** What the application reports at each scrape: read then, never kept. */
export interface ApplicationGauges {
  sockets(): Record<SocketRole, number>;
  workshopsLoaded(): number;
  exports(): { running: number; queued: number };
}

/** The lease events of a node among several (server/cluster/lease.ts). */
export interface LeaseWatch {
  taken(how: LeaseTake): void;
  lost(): void;
}

const SECONDS_FAST = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const SECONDS_ACK = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The server's figures in the Prometheus text format (prom-client), one registry per
 * application. Counts, kinds and durations only: no label ever holds a workshop code, an id, a
 * person, a word anyone typed or an address. Label values come from fixed lists (command types
 * the schema knows, error codes, roles, status codes), so a client cannot make new series.
 */
export class Metrics implements LeaseWatch {
  readonly registry = new Registry();
  readonly #commands: Counter<'type' | 'outcome'>;
  readonly #joins: Counter<'role' | 'outcome'>;
  readonly #ack: Histogram;
  readonly #commit: Histogram;
  readonly #refused: Counter<'status'>;
  readonly #limited: Counter<'where'>;
  readonly #signIns: Counter<'outcome'>;
  readonly #leaseTakes: Counter<'how'>;
  readonly #leasesLost: Counter;
  #app: ApplicationGauges | null = null;

  constructor(opts: { processFigures?: boolean } = {}) {
    const registers = [this.registry];
    if (opts.processFigures !== false) collectDefaultMetrics({ register: this.registry });
    const app = () => this.#app;
    new Gauge({
      name: 'fishbone_sockets',
      help: 'Connected sockets by role',
      labelNames: ['role'],
      registers,
      collect() {
        const counts = app()?.sockets();
        for (const role of SOCKET_ROLES) this.set({ role }, counts?.[role] ?? 0);
      },
    });
    new Gauge({
      name: 'fishbone_workshops_loaded',
      help: 'Workshops held in memory on this node',
      registers,
      collect() {
        this.set(app()?.workshopsLoaded() ?? 0);
      },
    });
    new Gauge({
      name: 'fishbone_exports_running',
      help: 'Exports (pictures, slides, reports) being rendered now',
      registers,
      collect() {
        this.set(app()?.exports().running ?? 0);
      },
    });
    new Gauge({
      name: 'fishbone_exports_queued',
      help: 'Exports waiting for the renderer',
      registers,
      collect() {
        this.set(app()?.exports().queued ?? 0);
      },
    });
    this.#commands = new Counter({
      name: 'fishbone_commands_total',
      help: 'Commands answered, by command type and outcome (ok or the error code)',
      labelNames: ['type', 'outcome'],
      registers,
    });
    this.#joins = new Counter({
      name: 'fishbone_joins_total',
      help: 'Joins answered, by role and outcome (ok or the error code)',
      labelNames: ['role', 'outcome'],
      registers,
    });
    this.#ack = new Histogram({
      name: 'fishbone_command_ack_seconds',
      help: 'From a command arriving to its acknowledgement (durable, or refused)',
      buckets: SECONDS_ACK,
      registers,
    });
    this.#commit = new Histogram({
      name: 'fishbone_store_commit_seconds',
      help: "A batch's wait for its store commit (group commit: queue and transaction)",
      buckets: SECONDS_FAST,
      registers,
    });
    this.#refused = new Counter({
      name: 'fishbone_http_refused_total',
      help: 'HTTP requests refused (4xx other than 429), by status',
      labelNames: ['status'],
      registers,
    });
    this.#limited = new Counter({
      name: 'fishbone_rate_limited_total',
      help: 'Requests refused for going past an allowance: HTTP 429s, socket connections, socket events',
      labelNames: ['where'],
      registers,
    });
    this.#signIns = new Counter({
      name: 'fishbone_sign_ins_total',
      help: 'Facilitator sign-ins, by outcome (ok, refused: not an allowed account, failed)',
      labelNames: ['outcome'],
      registers,
    });
    this.#leaseTakes = new Counter({
      name: 'fishbone_lease_takes_total',
      help: "Workshops this node took: first (never owned before), moved (from an owner that gave it up or had gone), failover (after waiting for a silent owner's lease to run out)",
      labelNames: ['how'],
      registers,
    });
    this.#leasesLost = new Counter({
      name: 'fishbone_leases_lost_total',
      help: 'Workshops another node took from this one while it thought it held them',
      registers,
    });
    for (const where of ['http', 'connect', 'socket'] as const) this.#limited.inc({ where }, 0);
    for (const how of ['first', 'moved', 'failover'] as const) this.#leaseTakes.inc({ how }, 0);
  }

  /** The one hook an application gives: what to read at each scrape. */
  observeApplication(gauges: ApplicationGauges): void {
    this.#app = gauges;
  }

  command(type: string, outcome: string, seconds: number): void {
    this.#commands.inc({ type, outcome });
    this.#ack.observe(seconds);
  }

  join(role: string, outcome: string): void {
    this.#joins.inc({ role, outcome });
  }

  commit(seconds: number): void {
    this.#commit.observe(seconds);
  }

  httpAnswered(status: number): void {
    if (status === 429) this.#limited.inc({ where: 'http' });
    else if (status >= 400 && status < 500) this.#refused.inc({ status: String(status) });
  }

  limited(where: LimitedAt): void {
    this.#limited.inc({ where });
  }

  signIn(outcome: 'ok' | 'refused' | 'failed'): void {
    this.#signIns.inc({ outcome });
  }

  taken(how: LeaseTake): void {
    this.#leaseTakes.inc({ how });
  }

  lost(): void {
    this.#leasesLost.inc();
  }

  /** The text a scrape returns, and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
