/**
 * Which IP addresses the rotator may connect to.
 *
 * The function runs with a service account whose tokens the metadata server (169.254.169.254)
 * hands to anything that asks, and it sends provider admin credentials. A URL in a rotation
 * policy that points at the metadata server, a VPC-internal service or a reserved range would
 * turn the rotator into a proxy for those secrets, so only globally routable unicast addresses
 * are allowed. Addresses are compared as bytes, never as strings, so no spelling of an address
 * (mapped, compatible, zero-padded) can slip past a pattern.
 */
import { isIP } from "node:net";

/** What kind of address an IP is, as far as the outbound policy is concerned. */
export type AddressClass =
    | "public"
    | "loopback"
    | "link-local"
    | "private"
    | "shared"
    | "unspecified"
    | "multicast"
    | "documentation"
    | "unique-local"
    | "reserved";

/** A human phrase per refused class, used in error messages. */
export const ADDRESS_CLASS_DESCRIPTIONS: Record<Exclude<AddressClass, "public">, string> = {
    loopback: "a loopback address",
    "link-local": "a link-local address (the metadata server lives in 169.254.0.0/16)",
    private: "a private network address",
    shared: "a carrier-grade NAT (100.64.0.0/10) address",
    unspecified: "an unspecified or this-network address",
    multicast: "a multicast or broadcast address",
    documentation: "a documentation-only address",
    "unique-local": "an IPv6 unique-local address (fc00::/7)",
    reserved: "a reserved or non-routable address",
};

interface Range {
    prefix: number[];
    bits: number;
    kind: AddressClass | "embedded-v4" | "6to4";
}

/** IPv4 ranges that are not public (IANA special-purpose registry, checked against RFC 6890). */
const V4_RANGES: Range[] = [
    { prefix: [0], bits: 8, kind: "unspecified" },
    { prefix: [10], bits: 8, kind: "private" },
    { prefix: [100, 64], bits: 10, kind: "shared" },
    { prefix: [127], bits: 8, kind: "loopback" },
    { prefix: [169, 254], bits: 16, kind: "link-local" },
    { prefix: [172, 16], bits: 12, kind: "private" },
    { prefix: [192, 0, 0], bits: 24, kind: "reserved" },
    { prefix: [192, 0, 2], bits: 24, kind: "documentation" },
    { prefix: [192, 88, 99], bits: 24, kind: "reserved" },
    { prefix: [192, 168], bits: 16, kind: "private" },
    { prefix: [198, 18], bits: 15, kind: "reserved" },
    { prefix: [198, 51, 100], bits: 24, kind: "documentation" },
    { prefix: [203, 0, 113], bits: 24, kind: "documentation" },
    { prefix: [224], bits: 4, kind: "multicast" },
    // 240.0.0.0/4 is reserved, and it holds the broadcast address 255.255.255.255.
    { prefix: [240], bits: 4, kind: "reserved" },
];

/**
 * IPv6 ranges, most specific first. Forms that carry an IPv4 address inside (mapped, NAT64,
 * 6to4) are judged by that IPv4 address, because that is where the packets end up.
 */
const V6_RANGES: Range[] = [
    { prefix: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], bits: 128, kind: "unspecified" },
    { prefix: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], bits: 128, kind: "loopback" },
    { prefix: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff], bits: 96, kind: "embedded-v4" },
    { prefix: [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0], bits: 96, kind: "embedded-v4" },
    { prefix: [0x20, 0x02], bits: 16, kind: "6to4" },
    { prefix: [0x20, 0x01, 0x0d, 0xb8], bits: 32, kind: "documentation" },
    { prefix: [0x3f, 0xff], bits: 20, kind: "documentation" },
    // 2001::/23 holds Teredo (an obfuscated IPv4 address) and other IETF protocol ranges.
    { prefix: [0x20, 0x01, 0x00], bits: 23, kind: "reserved" },
    { prefix: [0xfc], bits: 7, kind: "unique-local" },
    { prefix: [0xfe, 0x80], bits: 10, kind: "link-local" },
    { prefix: [0xff], bits: 8, kind: "multicast" },
    // Global unicast is 2000::/3; everything outside it (compatible ::a.b.c.d, discard 100::/64,
    // site-local fec0::/10, unassigned space) is not a provider API.
    { prefix: [0x20], bits: 3, kind: "public" },
];

function matches(bytes: number[], range: Range): boolean {
    for (let bit = 0; bit < range.bits; bit += 8) {
        const width = Math.min(8, range.bits - bit);
        const mask = (0xff << (8 - width)) & 0xff;
        const index = bit / 8;
        if ((bytes[index] & mask) !== ((range.prefix[index] ?? 0) & mask)) return false;
    }
    return true;
}

function parseV4(text: string): number[] {
    return text.split(".").map((part) => Number.parseInt(part, 10));
}

function parseV6(text: string): number[] {
    let body = text.split("%")[0];
    const tail: number[] = [];
    const lastColon = body.lastIndexOf(":");
    if (body.includes(".", lastColon)) {
        tail.push(...parseV4(body.slice(lastColon + 1)));
        body = body.slice(0, lastColon + 1) + "0:0";
    }
    const [head, rest] = body.split("::");
    const headGroups = head ? head.split(":") : [];
    const restGroups = rest === undefined ? [] : rest ? rest.split(":") : [];
    const missing = 8 - headGroups.length - restGroups.length;
    const groups = [...headGroups, ...Array<string>(Math.max(missing, 0)).fill("0"), ...restGroups];
    const bytes = groups.flatMap((group) => {
        const value = Number.parseInt(group, 16);
        return [value >> 8, value & 0xff];
    });
    if (tail.length === 4) bytes.splice(12, 4, ...tail);
    return bytes;
}

function classifyV4(bytes: number[]): AddressClass {
    const range = V4_RANGES.find((candidate) => matches(bytes, candidate));
    return range ? (range.kind as AddressClass) : "public";
}

/**
 * Classifies an IP address given as text (dotted IPv4 or any IPv6 spelling, with or without
 * brackets or a zone). Anything that is not an IP address is "reserved", so a caller that
 * passes garbage is refused rather than waved through.
 */
export function classifyAddress(address: string): AddressClass {
    const text = address.startsWith("[") && address.endsWith("]") ? address.slice(1, -1) : address;
    const version = isIP(text.split("%")[0]);
    if (version === 4) return classifyV4(parseV4(text));
    if (version !== 6) return "reserved";
    const bytes = parseV6(text);
    const range = V6_RANGES.find((candidate) => matches(bytes, candidate));
    if (!range) return "reserved";
    if (range.kind === "embedded-v4") return classifyV4(bytes.slice(12, 16));
    if (range.kind === "6to4") return classifyV4(bytes.slice(2, 6));
    return range.kind;
}

/**
 * Returns why an address must not be connected to, or undefined when it may be. Loopback is
 * allowed only when `allowLoopback` is set (tests and the local sandbox); no other
 * non-public class is ever allowed.
 */
export function refusedAddressClass(
    address: string,
    allowLoopback: boolean,
): Exclude<AddressClass, "public"> | undefined {
    const kind = classifyAddress(address);
    if (kind === "public") return undefined;
    if (kind === "loopback" && allowLoopback) return undefined;
    return kind;
}
