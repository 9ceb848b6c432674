import { isIPv4, isIPv6 } from 'node:net';

/**
 * A client address as logs may keep it: the network, not the machine. IPv4 keeps its first three
 * bytes (a /24), IPv6 its first three groups (a /48, a site); anything else is left out.
 */
export function truncatedAddress(addr: string | undefined): string {
  if (!addr) return '';
  // The limits' key of an IPv6 address is its /64 (server/guard/address-limits.ts, limitKey).
  const net = /^([0-9a-f]{1,4}(?::[0-9a-f]{1,4}){3})::\/64$/i.exec(addr);
  if (net) return `${net[1].split(':').slice(0, 3).join(':')}::/48`;
  const v4 = addr.startsWith('::ffff:') && isIPv4(addr.slice(7)) ? addr.slice(7) : addr;
  if (isIPv4(v4)) return `${v4.split('.').slice(0, 3).join('.')}.0/24`;
  if (isIPv6(addr)) {
    const [head] = addr.split('::');
    const groups = addr.includes('::') ? head.split(':').filter(Boolean) : addr.split(':');
    const kept = [...groups, '0', '0', '0'].slice(0, 3);
    return `${kept.join(':')}::/48`;
  }
  return '';
}
