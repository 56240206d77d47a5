import assert from "node:assert/strict";
import { classifyAddress, type AddressClass } from "../../functions/rotator/net";

/** Address, expected class. Public examples are well-known anycast resolvers. */
const TABLE: Array<[string, AddressClass]> = [
    ["8.8.8.8", "public"],
    ["1.1.1.1", "public"],
    ["2606:4700:4700::1111", "public"],
    ["2001:4860:4860::8888", "public"],
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["::1", "loopback"],
    ["169.254.169.254", "link-local"],
    ["169.254.0.1", "link-local"],
    ["fe80::1", "link-local"],
    ["febf::1", "link-local"],
    ["fe80::1%eth0", "link-local"],
    ["10.0.0.1", "private"],
    ["10.255.255.255", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["172.32.0.1", "public"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "shared"],
    ["100.127.255.255", "shared"],
    ["100.128.0.1", "public"],
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "unspecified"],
    ["::", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["ff02::1", "multicast"],
    ["240.0.0.1", "reserved"],
    ["255.255.255.255", "reserved"],
    ["192.0.2.10", "documentation"],
    ["2001:db8::1", "documentation"],
    ["fc00::1", "unique-local"],
    ["fd12:3456::1", "unique-local"],
    // IPv4-mapped IPv6, in every spelling, is judged by the IPv4 address inside.
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:169.254.169.254", "link-local"],
    ["::ffff:a9fe:a9fe", "link-local"],
    ["0:0:0:0:0:ffff:10.0.0.1", "private"],
    ["::ffff:192.168.0.1", "private"],
    ["::ffff:100.64.0.1", "shared"],
    ["::ffff:8.8.8.8", "public"],
    ["[::ffff:169.254.169.254]", "link-local"],
    // NAT64 and 6to4 also carry an IPv4 destination.
    ["64:ff9b::a9fe:a9fe", "link-local"],
    ["64:ff9b::8.8.8.8", "public"],
    ["2002:0a00:0001::1", "private"],
    ["2002:0808:0808::1", "public"],
    // Teredo, deprecated IPv4-compatible and site-local forms are not provider APIs.
    ["2001:0:4136:e378::1", "reserved"],
    ["::127.0.0.1", "reserved"],
    ["fec0::1", "reserved"],
    ["100::1", "reserved"],
    // Not an IP address at all: refused rather than waved through.
    ["not-an-ip", "reserved"],
    ["2130706433", "reserved"],
    ["0x7f.1", "reserved"],
    ["", "reserved"],
];

describe("address policy", () => {
    for (const [address, expected] of TABLE) {
        it(`classifies ${address || "(empty)"} as ${expected}`, () => {
            assert.equal(classifyAddress(address), expected);
        });
    }
});
