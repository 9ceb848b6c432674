import { parseArgs } from 'node:util';
import type { Target } from './ipc.ts';

export const USAGE = `npm run bench -- [flags]        (or: npx tsx bench/run.ts [flags] after npm run build)

  --quick               smoke run: 30 participants / 60 notes / 10 s; many rooms 4 x 20
  --scenario S          one | many | multinode | all (default all; multinode: several nodes on
                        PostgreSQL and Redis, cost and failover, bench/multinode.ts); page: only
                        the participant page's load (which every run ends with)
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
  --edit-share F        share of notes edited a few seconds later (default 0.33)
  --out FILE            results file (default bench/results/latest.json)
  --cpu-prof DIR        run our server with node --cpu-prof, profiles written to DIR
  --server FILE         our server's entry point (default dist/server/main.js): compare builds
  --page-old FILE       another build's server entry (e.g. main's, built into its own folder):
                        its participant page is measured beside ours, loads interleaved
  --data-root DIR       where our server's fresh SQLite folder goes (default the system temp
                        folder; /dev/shm takes the disk out of the picture)
  --help`;

export interface Options {
  quick: boolean;
  scenarios: Array<'one' | 'many' | 'multinode'>;
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
  out: string;
  cpuProf: string | null;
  dataRoot: string | null;
  server: string;
  /** Issue 17: an old build's server entry whose participant page is measured beside ours. */
  pageOld: string | null;
}

export interface Scenario {
  key: 'one' | 'many';
  name: string;
  rooms: number;
  perRoom: number;
  notes: number;
  brainstormMs: number;
  joinWindowMs: number;
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
      out: { type: 'string', default: 'bench/results/latest.json' },
      'cpu-prof': { type: 'string' },
      'data-root': { type: 'string' },
      server: { type: 'string', default: 'dist/server/main.js' },
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
  const scenarios = v.scenario === 'all' ? (['one', 'many', 'multinode'] as const) : v.scenario === 'page' ? [] : [v.scenario];
  if (!scenarios.every((s) => s === 'one' || s === 'many' || s === 'multinode'))
    throw new Error('--scenario is one, many, multinode, page or all');
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
    out: v.out!,
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
    },
    {
      key: 'many',
      name: 'many rooms',
      rooms: o.rooms,
      perRoom: o.roomSize,
      notes: Math.round(perParticipant * o.rooms * o.roomSize),
      brainstormMs: o.brainstormS * 1000,
      joinWindowMs: o.joinWindowS * 1000,
    },
  ];
  return all.filter((s) => (o.scenarios as string[]).includes(s.key));
}
