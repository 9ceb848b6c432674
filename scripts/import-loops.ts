/**
 * Import loops among the TypeScript files of the folders named (default: server shared):
 * every group of files that import each other round in a circle (a strongly connected
 * component), with one circle through it. `--runtime` leaves out `import type`, which vanish
 * when compiled. Run: npx tsx scripts/import-loops.ts [--runtime] [folders...]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const args = process.argv.slice(2);
const runtime = args.includes('--runtime');
const roots = args.filter((a) => !a.startsWith('--'));
const files: string[] = [];
const walk = (dir: string): void => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (/\.ts$/.test(name) && !name.endsWith('.d.ts')) files.push(resolve(path));
  }
};
for (const root of roots.length ? roots : ['server', 'shared']) walk(root);
const known = new Set(files);

const edges = new Map<string, string[]>();
const statement = /^\s*(import|export)\s+(type\s+)?([^'";]*?\s+from\s+)?['"](\.[^'"]+)['"]/gm;
for (const file of files) {
  const out: string[] = [];
  for (const m of readFileSync(file, 'utf8').matchAll(statement)) {
    if (runtime && m[2]) continue;
    // `import { type A, type B }` is type-only too.
    if (
      runtime &&
      m[3] &&
      /^\s*\{[^}]*\}/.test(m[3]) &&
      m[3]
        .replace(/[{}\s]|from/g, '')
        .split(',')
        .every((n) => n.startsWith('type'))
    )
      continue;
    const target = resolve(dirname(file), m[4]);
    if (known.has(target)) out.push(target);
  }
  edges.set(file, out);
}

// Tarjan's strongly connected components.
let index = 0;
const idx = new Map<string, number>();
const low = new Map<string, number>();
const stack: string[] = [];
const on = new Set<string>();
const groups: string[][] = [];
const visit = (v: string): void => {
  idx.set(v, index);
  low.set(v, index++);
  stack.push(v);
  on.add(v);
  for (const w of edges.get(v) ?? []) {
    if (!idx.has(w)) {
      visit(w);
      low.set(v, Math.min(low.get(v)!, low.get(w)!));
    } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
  }
  if (low.get(v) === idx.get(v)) {
    const group: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      on.delete(w);
      group.push(w);
    } while (w !== v);
    if (group.length > 1) groups.push(group);
  }
};
for (const f of files) if (!idx.has(f)) visit(f);

/** A shortest circle from a file back to itself, inside its group. */
const circle = (start: string, group: Set<string>): string[] => {
  const prev = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift()!;
    for (const w of edges.get(v) ?? []) {
      if (!group.has(w)) continue;
      if (w === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(prev.get(path[0])!);
        return [...path, start];
      }
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start];
};
const rel = (f: string) => relative(process.cwd(), f);
console.log(`${groups.length} import loop(s) among ${files.length} files${runtime ? ' (runtime imports only)' : ''}`);
for (const g of groups) {
  console.log(`- ${g.length} files: ${g.map(rel).sort().join(', ')}`);
  console.log(
    `  e.g. ${circle(g[g.length - 1], new Set(g))
      .map(rel)
      .join(' → ')}`,
  );
}
