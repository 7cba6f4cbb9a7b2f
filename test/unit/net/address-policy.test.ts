import { describe, expect, test } from "vitest";
import { NO_EXCEPTIONS, parseAllowList, refusalOf } from "../../../src/net/address-policy.js";

function allow(text: string) {
  const parsed = parseAllowList(text);
  if ("problems" in parsed) throw new Error(parsed.problems.join("; "));
  return parsed;
}

describe("which addresses the bot may fetch from", () => {
  test.each([
    ["127.0.0.1", "a loopback address"],
    ["127.8.9.10", "a loopback address"],
    ["::1", "a loopback address"],
    ["10.1.2.3", "a private address"],
    ["172.16.0.9", "a private address"],
    ["192.168.1.1", "a private address"],
    ["169.254.169.254", "the cloud metadata address"],
    ["169.254.10.1", "a link-local address"],
    ["fe80::1", "a link-local address"],
    ["100.64.0.1", "a carrier-grade NAT address (100.64.0.0/10)"],
    ["100.100.100.200", "Alibaba Cloud's metadata address"],
    ["168.63.129.16", "Azure's metadata address"],
    ["224.0.0.1", "a multicast address"],
    ["ff02::1", "a multicast address"],
    ["fd00:ec2::254", "AWS's IPv6 metadata address"],
    ["fc00::5", "a unique-local IPv6 address"],
    ["::ffff:127.0.0.1", "an IPv4-mapped IPv6 address"],
    ["::ffff:8.8.8.8", "an IPv4-mapped IPv6 address"],
    ["0.0.0.0", "an unspecified address"],
    ["255.255.255.255", "the broadcast address"],
    ["192.0.2.7", "a reserved address"],
    ["64:ff9b::7f00:1", "a NAT64 address"],
  ])("%s is refused as %s", (address, words) => {
    expect(refusalOf(address, NO_EXCEPTIONS)).toBe(`${address} is ${words}`);
  });

  test.each(["8.8.8.8", "23.22.39.120", "2606:4700:4700::1111", "2001:4860:4860::8888"])("%s (public unicast) is allowed", (address) => {
    expect(refusalOf(address, NO_EXCEPTIONS)).toBeNull();
  });

  test("KORUS_FEEDS_ALLOW_HOSTS lets listed addresses, ranges and host names through, and only those", () => {
    const list = allow("127.0.0.1, 10.0.0.0/8, intranet.example.org., [::1]");
    expect(refusalOf("127.0.0.1", list)).toBeNull();
    expect(refusalOf("127.0.0.2", list)).toBe("127.0.0.2 is a loopback address");
    expect(refusalOf("10.200.3.4", list)).toBeNull();
    expect(refusalOf("::1", list)).toBeNull();
    expect(refusalOf("192.168.0.1", list, "intranet.example.org")).toBeNull();
    expect(refusalOf("192.168.0.1", list, "Intranet.Example.Org.")).toBeNull();
    expect(refusalOf("192.168.0.1", list, "other.example.org")).toBe("192.168.0.1 is a private address");
    // A listed address does not open the IPv4-mapped form of it.
    expect(refusalOf("::ffff:127.0.0.1", list)).toBe("::ffff:127.0.0.1 is an IPv4-mapped IPv6 address");
  });

  test("a malformed allow list names each bad entry", () => {
    expect(parseAllowList("127.0.0.1, 10.0.0.0/99, not a host, ok.example")).toEqual({
      problems: ["`10.0.0.0/99` is not a CIDR range such as 10.0.0.0/8", "`not a host` is not a host name, an address or a CIDR range"],
    });
    expect(parseAllowList("")).toMatchObject({ text: "" });
  });
});
