import { isIP } from 'node:net';

/**
 * Where a webhook may be sent: never to this machine, a private network, link-local addresses
 * (the cloud's metadata service among them) or other ranges that are not the public internet.
 * Checked when an endpoint is registered and again before each delivery, on the addresses the
 * host resolves to then, and the delivery connects to the address checked.
 */
const blockedIPv4: readonly (readonly [string, number])[] = [
  ['0.0.0.0', 8], // this network
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, the metadata service
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];

const ipv4Number = (address: string) =>
  address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);

function ipv4Blocked(address: string): boolean {
  const value = ipv4Number(address);
  return blockedIPv4.some(([base, bits]) => {
    const size = 2 ** (32 - bits);
    return Math.floor(value / size) === Math.floor(ipv4Number(base) / size);
  });
}

/** The 16 bytes of an IPv6 address, `::` expanded and a trailing dotted IPv4 part included. */
function ipv6Bytes(address: string): number[] {
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(address)?.[1];
  const hex = dotted
    ? address.replace(dotted, () => {
        const [a, b, c, d] = dotted.split('.').map(Number) as [number, number, number, number];
        return `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
      })
    : address;
  const [head = '', tail] = hex.split('::');
  const groups = (part: string) => (part ? part.split(':') : []);
  const missing = 8 - groups(head).length - groups(tail ?? '').length;
  const all = [...groups(head), ...Array(tail === undefined ? 0 : missing).fill('0'), ...groups(tail ?? '')];
  return all.flatMap((group) => {
    const value = Number.parseInt(group, 16);
    return [value >> 8, value & 0xff];
  });
}

function ipv6Blocked(address: string): boolean {
  const bytes = ipv6Bytes(address.split('%')[0] ?? address);
  const [first = 0, second = 0] = bytes;
  if (bytes.every((byte) => byte === 0)) return true; // unspecified
  if (bytes.slice(0, 15).every((byte) => byte === 0) && bytes[15] === 1) return true; // loopback
  const mapped = bytes.slice(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (mapped) return ipv4Blocked(bytes.slice(12).join('.'));
  if ((first & 0xfe) === 0xfc) return true; // unique local, fd00:ec2::254 among them
  if (first === 0xfe && (second & 0xc0) === 0x80) return true; // link-local
  if (first === 0xff) return true; // multicast
  if (first === 0x20 && second === 0x01 && bytes[2] === 0x0d && bytes[3] === 0xb8) return true; // documentation
  return false;
}

/** Whether an IP address is one a webhook must never reach. */
export function isForbiddenAddress(address: string): boolean {
  const version = isIP(address);
  if (version === 4) return ipv4Blocked(address);
  if (version === 6) return ipv6Blocked(address);
  return true;
}

export interface DestinationRules {
  /** Hosts development may send to over http and at any address: explicit configuration, empty in the cloud. */
  readonly allowedHosts: readonly string[];
  /** The addresses a host name resolves to (`dns.lookup` with `all`). */
  readonly resolve: (host: string) => Promise<readonly string[]>;
}

/**
 * The addresses a webhook to `url` may be sent to, or why it may not be sent at all: only https,
 * no credentials in the URL, and only public addresses unless the host is explicitly allowed.
 */
export async function checkDestination(
  url: string,
  { allowedHosts, resolve }: DestinationRules,
): Promise<{ readonly addresses: readonly string[] } | { readonly refused: string }> {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (!parsed) return { refused: 'The URL is not a valid absolute URL.' };
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const allowed = allowedHosts.includes(host);
  if (parsed.protocol !== 'https:' && !(allowed && parsed.protocol === 'http:')) {
    return { refused: 'Webhooks are sent over https only.' };
  }
  if (parsed.username || parsed.password) return { refused: 'The URL must not carry credentials.' };
  const addresses = isIP(host) ? [host] : await resolve(host).catch(() => []);
  if (addresses.length === 0) return { refused: `${host} does not resolve to an address.` };
  if (!allowed && addresses.some(isForbiddenAddress)) {
    return {
      refused: `${host} resolves to a loopback, private, link-local or otherwise non-public address.`,
    };
  }
  return { addresses };
}
