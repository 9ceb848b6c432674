import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Set on every request one node passes to another (the sending node's id): never passed on again. */
export const HOP_HEADER = 'x-fishbone-node';
/** The client's address as the sending node counted it, for the limits here. */
const CLIENT_HEADER = 'x-fishbone-client';
const TIME_HEADER = 'x-fishbone-time';
const SIGNATURE_HEADER = 'x-fishbone-signature';
export const NODE_HEADERS = [HOP_HEADER, CLIENT_HEADER, TIME_HEADER, SIGNATURE_HEADER] as const;

/** A signed hop older (or newer) than this is not believed: a copy cannot be replayed for long. */
const FRESH_MS = 30_000;

/** The client address a verified hop carried, kept on the request for the limits (server/guard/guard.ts). */
const VERIFIED = Symbol('verified client address');
type Verified = IncomingMessage & { [VERIFIED]?: string };

export const verifiedClient = (req: IncomingMessage): string | undefined => (req as Verified)[VERIFIED];

/**
 * How nodes know each other (issue 25: `x-fishbone-node: x` from anyone on the private network
 * was believed, and so were its own `X-Forwarded-For` addresses): a node passing a request on
 * signs it with the deployment's NODE_SECRET — its id, the client's address as it counted it,
 * the time, the method and the path. The receiving node believes the hop (serves it here, counts
 * it against that client's address) only with a valid, fresh signature; every other request has
 * these headers removed and is treated like any client's. HAProxy strips them too
 * (deploy/haproxy.cfg).
 */
export class NodeAuth {
  readonly #secret: Buffer;

  constructor(secret: string) {
    if (secret.length < 16) throw new Error('NODE_SECRET must be at least 16 characters, the same on every node');
    this.#secret = Buffer.from(secret);
  }

  #mac(nodeId: string, client: string, time: string, method: string, url: string): Buffer {
    return createHmac('sha256', this.#secret).update([nodeId, client, time, method, url].join('\n')).digest();
  }

  /** The headers that make a request a signed hop from `nodeId` for `client`. */
  sign(nodeId: string, client: string, method: string, url: string): Record<string, string> {
    const time = String(Date.now());
    return {
      [HOP_HEADER]: nodeId,
      [CLIENT_HEADER]: client,
      [TIME_HEADER]: time,
      [SIGNATURE_HEADER]: this.#mac(nodeId, client, time, method, url).toString('base64url'),
    };
  }

  /**
   * True for a hop signed by a node of this deployment (and the client address it carried is
   * kept for the limits); otherwise the node headers are taken off the request.
   */
  verify(req: IncomingMessage): boolean {
    const h = req.headers;
    const [node, client, time, sig] = NODE_HEADERS.map((k) => h[k]);
    const ok =
      typeof node === 'string' &&
      typeof client === 'string' &&
      typeof time === 'string' &&
      typeof sig === 'string' &&
      Math.abs(Date.now() - Number(time)) < FRESH_MS &&
      safeEqual(Buffer.from(sig, 'base64url'), this.#mac(node, client, time, req.method ?? '', req.url ?? ''));
    if (ok) (req as Verified)[VERIFIED] = client;
    else strip(req);
    return ok;
  }
}

const safeEqual = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);

/** Take every node header off a request that did not come from a node. */
function strip(req: IncomingMessage): void {
  for (const k of NODE_HEADERS) delete req.headers[k];
  const raw = req.rawHeaders;
  for (let i = raw.length - 2; i >= 0; i -= 2) if ((NODE_HEADERS as readonly string[]).includes(raw[i].toLowerCase())) raw.splice(i, 2);
}
