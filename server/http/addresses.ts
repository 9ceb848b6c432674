import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';

/**
 * Where the server can be opened, for the start-up message. A facilitator on venue Wi-Fi reads
 * the phones' address out (or puts it in PUBLIC_URL, which the QR code then carries).
 */

/** `0.0.0.0` (IPv4) and `::` (IPv6, and IPv4 where the system maps it) mean every interface. */
export const isEveryInterface = (host: string): boolean => host === '0.0.0.0' || host === '::';

const isLoopback = (host: string): boolean => host === 'localhost' || host === '::1' || host.startsWith('127.');

const urlOf = (address: string, port: number) => `http://${address.includes(':') ? `[${address}]` : address}:${port}`;

/** The address to open on this machine. */
export const localAddress = (host: string | undefined, port: number): string =>
  urlOf(host && !isEveryInterface(host) ? host : 'localhost', port);

/**
 * The addresses a phone on the same network can open: with no HOST (every interface), each of
 * this machine's own addresses that is not loopback, IPv4 first; with a HOST, that one, unless
 * it is loopback (then none: phones cannot reach it).
 */
export function phoneAddresses(host: string | undefined, port: number, interfaces = networkInterfaces()): string[] {
  if (host && !isEveryInterface(host)) return isLoopback(host) ? [] : [urlOf(host, port)];
  return (
    Object.values(interfaces)
      .flat()
      .filter((i): i is NetworkInterfaceInfo => !!i && !i.internal)
      // IPv6 link-local addresses need a zone that a phone's browser cannot be given.
      .filter((i) => !(i.family === 'IPv6' && i.address.toLowerCase().startsWith('fe80:')))
      .filter((i) => host !== '0.0.0.0' || i.family === 'IPv4')
      .sort((a, b) => (a.family === b.family ? 0 : a.family === 'IPv4' ? -1 : 1))
      .map((i) => urlOf(i.address, port))
  );
}
