/** What the browser remembers, per workshop. Nothing here is ever sent to anyone but the server. */

const get = (k: string): string | null => {
  try {
    return localStorage.getItem(k);
  } catch {
    return null;
  }
};
const set = (k: string, v: string | null): void => {
  try {
    if (v === null) localStorage.removeItem(k);
    else localStorage.setItem(k, v);
  } catch {
    /* private mode or full: work on without remembering */
  }
};

export const randomToken = (bytes = 16): string => {
  const b = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...b))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
};

/** The participant's own random token: a reload is the same participant, their notes stay theirs. */
export function participantToken(code: string): string {
  const k = `fishbone:token:${code}`;
  let t = get(k);
  if (!t || !/^[A-Za-z0-9_-]{22,64}$/.test(t)) set(k, (t = randomToken()));
  return t;
}

export interface RememberedWorkshop {
  code: string;
  key: string;
  title: string;
  createdAt: number;
}

/** The facilitator's workshops, so a reload or a new tab gets back in. */
export const facilitatorWorkshops = {
  list(): RememberedWorkshop[] {
    try {
      return JSON.parse(get('fishbone:facilitating') ?? '[]') as RememberedWorkshop[];
    } catch {
      return [];
    }
  },
  remember(w: RememberedWorkshop): void {
    const rest = this.list().filter((x) => x.code !== w.code);
    set('fishbone:facilitating', JSON.stringify([w, ...rest].slice(0, 50)));
  },
  keyFor(code: string): string | null {
    return this.list().find((w) => w.code === code)?.key ?? null;
  },
  forget(code: string): void {
    set('fishbone:facilitating', JSON.stringify(this.list().filter((x) => x.code !== code)));
  },
};

export const storedJson = {
  read<T>(k: string, fallback: T): T {
    try {
      const raw = get(k);
      return raw ? (JSON.parse(raw) as T) : fallback;
    } catch {
      return fallback;
    }
  },
  write(k: string, v: unknown): void {
    set(k, JSON.stringify(v));
  },
};
