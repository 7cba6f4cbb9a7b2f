/**
 * Which addresses the bot may fetch from: public unicast addresses only, unless the operator lists a host, an address
 * or a range in KORUS_FEEDS_ALLOW_HOSTS. Ranges come from ipaddr.js (IANA's special-purpose registries), not from
 * hand-written masks; the few cloud metadata addresses that sit in public space are named here.
 */
import ipaddr from "ipaddr.js";

/** Cloud metadata endpoints that a range check alone would let through (the others are link-local or CGNAT). */
const METADATA_ADDRESSES: ReadonlyMap<string, string> = new Map([
  // Azure's wire server and instance metadata relay: a public address reachable only from inside Azure.
  ["168.63.129.16", "Azure's metadata address"],
  ["169.254.169.254", "the cloud metadata address"],
  ["169.254.170.2", "the ECS task metadata address"],
  ["100.100.100.200", "Alibaba Cloud's metadata address"],
  ["fd00:ec2::254", "AWS's IPv6 metadata address"],
]);

/** What each ipaddr.js range is, in a person's words. */
const RANGE_WORDS: Record<string, string> = {
  unspecified: "an unspecified address",
  broadcast: "the broadcast address",
  multicast: "a multicast address",
  linkLocal: "a link-local address",
  loopback: "a loopback address",
  carrierGradeNat: "a carrier-grade NAT address (100.64.0.0/10)",
  private: "a private address",
  reserved: "a reserved address",
  as112: "an AS112 address",
  amt: "an AMT address",
  uniqueLocal: "a unique-local IPv6 address",
  ipv4Mapped: "an IPv4-mapped IPv6 address",
  deprecatedSiteLocal: "a site-local IPv6 address",
  discard: "a discard-only IPv6 address",
  rfc6145: "an IPv4-translated IPv6 address",
  rfc6052: "a NAT64 address",
  "6to4": "a 6to4 address",
  teredo: "a Teredo address",
  benchmarking: "a benchmarking address",
  as112v6: "an AS112 address",
  deprecatedOrchid: "an ORCHID address",
  orchid2: "an ORCHID address",
  droneRemoteIdProtocolEntityTags: "a reserved IPv6 address",
};

/** The operator's exceptions: host names (exact, any case), single addresses and CIDR ranges. */
export interface AllowList {
  readonly hosts: ReadonlySet<string>;
  readonly ranges: ReadonlyArray<[ipaddr.IPv4 | ipaddr.IPv6, number]>;
  /** As the operator wrote it, for messages. */
  readonly text: string;
}

/** No exceptions: public unicast addresses only. */
export const NO_EXCEPTIONS: AllowList = Object.freeze({ hosts: new Set<string>(), ranges: [], text: "" });

/**
 * Reads KORUS_FEEDS_ALLOW_HOSTS: comma-separated host names, addresses and CIDR ranges (`127.0.0.1`, `10.0.0.0/8`,
 * `intranet.example.org`). Returns the problems instead when an entry is none of these.
 */
export function parseAllowList(text: string): AllowList | { problems: string[] } {
  const hosts = new Set<string>();
  const ranges: Array<[ipaddr.IPv4 | ipaddr.IPv6, number]> = [];
  const problems: string[] = [];
  for (const raw of text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const entry = raw.replace(/^\[(.*)\]$/, "$1");
    if (entry.includes("/")) {
      try {
        ranges.push(ipaddr.parseCIDR(entry));
      } catch {
        problems.push(`\`${raw}\` is not a CIDR range such as 10.0.0.0/8`);
      }
    } else if (ipaddr.isValid(entry)) {
      const address = ipaddr.parse(entry);
      ranges.push([address, address.kind() === "ipv4" ? 32 : 128]);
    } else if (/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i.test(entry)) {
      hosts.add(entry.toLowerCase().replace(/\.$/, ""));
    } else {
      problems.push(`\`${raw}\` is not a host name, an address or a CIDR range`);
    }
  }
  return problems.length > 0 ? { problems } : Object.freeze({ hosts, ranges, text });
}

/** Why `address` may not be fetched from, or null when it may (a public unicast address, or one the operator allows). */
export function refusalOf(address: string, allow: AllowList, hostname?: string): string | null {
  if (hostname && allow.hosts.has(hostname.toLowerCase().replace(/\.$/, ""))) return null;
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  const parsed = ipaddr.parse(address);
  for (const [base, bits] of allow.ranges) {
    if (base.kind() === parsed.kind() && parsed.match(base, bits)) return null;
  }
  const normal = parsed.toNormalizedString() === address ? address : parsed.toString();
  const metadata = METADATA_ADDRESSES.get(parsed.toString()) ?? METADATA_ADDRESSES.get(normal);
  if (metadata) return `${address} is ${metadata}`;
  const range = parsed.range();
  if (range === "unicast") return null;
  return `${address} is ${RANGE_WORDS[range] ?? `a special-purpose address (${range})`}`;
}

/** True when `host` (a URL's hostname, brackets removed) is an IP address rather than a name to resolve. */
export function isIpLiteral(host: string): boolean {
  return ipaddr.isValid(host) && (host.includes(":") || /^\d{1,3}(\.\d{1,3}){3}$/.test(host));
}
