import { parseArgs } from 'node:util';
import type { Target } from './ipc.ts';

export const USAGE = `npm run bench -- [flags]        (or: npx tsx bench/run.ts [flags] after npm run build)

  --quick               smoke run: 30 participants / 60 notes / 10 s; many rooms 4 x 20
  --scenario S,...      one | many | event1k | node10k | costs | multinode | exports | page | all (default
                        all; event1k: 1,000 in one workshop; node10k: 10,000 over 200 workshops;
                        costs: server CPU per join, command and broadcast (bench/costs.ts);
                        multinode: several nodes on PostgreSQL and Redis, bench/multinode.ts;
                        exports: every export of a board at the caps, its time and the
                        server's memory, and a stranger's heavy exports, bench/exports.ts;
                        page: only the participant page's load, which every run ends with)
  --targets T,...       which servers to drive: ours,yjs,bare (default all three; the floors
                        replay our server's updates, so ours always runs)
  --workers N           load-generator processes (default 2)
  --rounds N            repeat the targets N times, interleaved, and pool the samples (default 1)
  --participants N      one big room: participants (default 300)
  --notes N             one big room: notes in the brainstorm (default 600); many rooms
                        keep the same notes per participant
  --brainstorm S        brainstorm length in seconds (default 60)
  --rooms N             many rooms: workshops (default 40)
  --room-size N         many rooms: participants per workshop (default 50)
  --join-window S       many rooms: workshops start joining spread over S seconds (default 10);
                        within a workshop, and in the one big room, everyone joins at once
  --dots N              dots each participant places (default 5)
  --vote S              voting window in seconds (default 10)
  --event-size N        event1k: participants in the one workshop (default 1000)
  --node-rooms N        node10k: workshops (default 200), of --node-room-size (default 50)
  --big-brainstorm S    event1k and node10k: brainstorm length (default 30); notes: 0.3 a
                        participant (event1k), 0.5 (node10k)
  --edit-share F        share of notes edited a few seconds later (default 0.33)
  --no-page             skip the participant page's load time (bench/page-load.ts)
  --out FILE            results file (default bench/results/latest.json)
  --cpu-prof DIR        run our server with node --cpu-prof, profiles written to DIR
  --server FILE         our server's entry point (default dist/server/main.js): compare builds
  --page-old FILE       another build's server entry (e.g. main's, built into its own folder):
                        its participant page is measured beside ours, loads interleaved
  --data-root DIR       where our server's fresh SQLite folder goes (default the system temp
                        folder; /dev/shm takes the disk out of the picture)
  --help`;

export type ScenarioKey = 'one' | 'many' | 'event1k' | 'node10k' | 'costs' | 'multinode' | 'exports';
const SCENARIO_KEYS: readonly ScenarioKey[] = ['one', 'many', 'event1k', 'node10k', 'costs', 'multinode', 'exports'];

export interface Options {
  quick: boolean;
  scenarios: ScenarioKey[];
  targets: Target[];
  workers: number;
  rounds: number;
  participants: number;
  notes: number;
  brainstormS: number;
  rooms: number;
  roomSize: number;
  joinWindowS: number;
  dots: number;
  voteS: number;
  editShare: number;
  eventSize: number;
  nodeRooms: number;
  nodeRoomSize: number;
  bigBrainstormS: number;
  out: string;
  page: boolean;
  cpuProf: string | null;
  dataRoot: string | null;
  server: string;
  /** Issue 17: an old build's server entry whose participant page is measured beside ours. */
  pageOld: string | null;
}

export interface Scenario {
  key: 'one' | 'many' | 'event1k' | 'node10k';
  name: string;
  rooms: number;
  perRoom: number;
  notes: number;
  brainstormMs: number;
  joinWindowMs: number;
  /** Full replicas per room; the other phones are light (time arrivals only). 0: all full. */
  fullPerRoom: number;
  /** Every phone connects with an address of its own (bench/digest.ts addressOf). */
  spread: boolean;
  /** The bare floor relays base64 text frames, as ours sends (else binary, as before). */
  textFloor: boolean;
  /** The targets this scenario compares (intersected with --targets). */
  targets: Target[];
  dots: number;
  voteMs: number;
}

export function parseOptions(argv: string[]): Options | null {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      scenario: { type: 'string', default: 'all' },
      targets: { type: 'string', default: 'ours,yjs,bare' },
      workers: { type: 'string' },
      rounds: { type: 'string' },
      participants: { type: 'string' },
      notes: { type: 'string' },
      brainstorm: { type: 'string' },
      rooms: { type: 'string' },
      'room-size': { type: 'string' },
      'join-window': { type: 'string' },
      dots: { type: 'string' },
      vote: { type: 'string' },
      'edit-share': { type: 'string' },
      'event-size': { type: 'string' },
      'node-rooms': { type: 'string' },
      'node-room-size': { type: 'string' },
      'big-brainstorm': { type: 'string' },
      out: { type: 'string', default: 'bench/results/latest.json' },
      'cpu-prof': { type: 'string' },
      'data-root': { type: 'string' },
      server: { type: 'string', default: 'dist/server/main.js' },
      'no-page': { type: 'boolean', default: false },
      'page-old': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (v.help) return null;
  const q = v.quick!;
  const num = (flag: keyof typeof v, full: number, quick: number, min = 1, max = 100_000): number => {
    const s = v[flag] as string | undefined;
    const n = s === undefined ? (q ? quick : full) : Number(s);
    if (!Number.isFinite(n) || n < min || n > max) throw new Error(`--${flag} ${s} is out of range (${min} to ${max})`);
    return n;
  };
  // 'page' alone: only the participant page's load, which every run ends with anyway.
  const scenarios =
    v.scenario === 'all'
      ? SCENARIO_KEYS
      : v
          .scenario!.split(',')
          .map((s) => s.trim())
          .filter((s) => s !== 'page');
  if (!scenarios.every((s) => (SCENARIO_KEYS as readonly string[]).includes(s)))
    throw new Error(`--scenario is ${SCENARIO_KEYS.join(', ')}, page or all`);
  const targets = v.targets!.split(',').map((t) => t.trim());
  if (!targets.every((t) => t === 'ours' || t === 'yjs' || t === 'bare')) throw new Error('--targets takes ours,yjs,bare');
  if (!targets.includes('ours')) throw new Error('--targets must include ours: the floors replay the updates it broadcast');
  return {
    quick: q,
    scenarios: [...scenarios] as Options['scenarios'],
    // Ours runs first: the floors replay what it broadcast.
    targets: (['ours', 'yjs', 'bare'] as const).filter((t) => targets.includes(t)),
    workers: num('workers', 2, 2, 1, 16),
    rounds: num('rounds', 1, 1, 1, 20),
    participants: num('participants', 300, 30, 2, 5000),
    notes: num('notes', 600, 60, 1, 20_000),
    brainstormS: num('brainstorm', 60, 10, 2, 600),
    rooms: num('rooms', 40, 4, 1, 500),
    roomSize: num('room-size', 50, 20, 2, 1000),
    joinWindowS: num('join-window', 10, 2, 0, 120),
    dots: num('dots', 5, 5, 0, 20),
    voteS: num('vote', 10, 3, 1, 120),
    editShare: num('edit-share', 0.33, 0.33, 0, 1),
    eventSize: num('event-size', 1000, 100, 2, 5000),
    nodeRooms: num('node-rooms', 200, 10, 1, 500),
    nodeRoomSize: num('node-room-size', 50, 20, 2, 1000),
    bigBrainstormS: num('big-brainstorm', 30, 10, 2, 600),
    out: v.out!,
    page: !v['no-page'],
    cpuProf: v['cpu-prof'] ?? null,
    dataRoot: v['data-root'] ?? null,
    server: v.server!,
    pageOld: v['page-old'] ?? null,
  };
}

export function scenariosOf(o: Options): Scenario[] {
  const perParticipant = o.notes / o.participants;
  const all: Scenario[] = [
    {
      key: 'one',
      name: 'one big room',
      rooms: 1,
      perRoom: o.participants,
      notes: o.notes,
      brainstormMs: o.brainstormS * 1000,
      joinWindowMs: 0,
      fullPerRoom: 0,
      spread: false,
      textFloor: false,
      targets: ['ours', 'yjs', 'bare'],
      dots: o.dots,
      voteMs: o.voteS * 1000,
    },
    {
      key: 'many',
      name: 'many rooms',
      rooms: o.rooms,
      perRoom: o.roomSize,
      notes: Math.round(perParticipant * o.rooms * o.roomSize),
      brainstormMs: o.brainstormS * 1000,
      joinWindowMs: o.joinWindowS * 1000,
      fullPerRoom: 0,
      spread: true, // 40 venues: 2,000 phones from one address exceed its connect allowance (600, then 30/s)
      textFloor: false,
      targets: ['ours', 'yjs', 'bare'],
      dots: o.dots,
      voteMs: o.voteS * 1000,
    },
    // Issue 17, a system-wide event: one workshop of 1,000, a note from every third; against the bare
    // floor, measured the same way (light phones time arrivals, a sample applies every update).
    {
      key: 'event1k',
      name: 'event of 1,000',
      rooms: 1,
      perRoom: o.eventSize,
      notes: Math.round(o.eventSize * 0.3),
      brainstormMs: o.bigBrainstormS * 1000,
      joinWindowMs: 0,
      fullPerRoom: 10,
      spread: true,
      textFloor: true,
      targets: ['ours', 'bare'],
      dots: o.dots,
      voteMs: 20_000 * (o.quick ? 0.25 : 1),
    },
    // Issue 17, what one node holds: 10,000 over 200 workshops of 50 joining over a minute, a
    // note for every other participant, 2 dots each.
    {
      key: 'node10k',
      name: 'one node of 10,000',
      rooms: o.nodeRooms,
      perRoom: o.nodeRoomSize,
      notes: Math.round(o.nodeRooms * o.nodeRoomSize * 0.5),
      brainstormMs: o.bigBrainstormS * 1000,
      joinWindowMs: (o.quick ? 3 : 60) * 1000,
      fullPerRoom: 2,
      spread: true,
      textFloor: true,
      targets: ['ours'],
      dots: 2,
      voteMs: 20_000 * (o.quick ? 0.25 : 1),
    },
  ];
  return all.filter((s) => (o.scenarios as string[]).includes(s.key));
}
