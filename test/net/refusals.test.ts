import assert from "node:assert/strict";
import { setLogSink, type LogSink } from "../../functions/rotator/log";
import { OutboundClient, OutboundError, type Resolver } from "../../functions/rotator/net";
import {
    reply,
    startServer,
    watchConnections,
    type ConnectionWatch,
    type LoopbackServer,
} from "./loopback";

/** Runs a request that must be refused and returns the error. */
async function refusal(client: OutboundClient, url: string, method: "GET" | "POST" = "GET") {
    const error = await client.request({ method, url }).then(
        () => assert.fail(`expected ${url} to be refused`),
        (caught: unknown) => caught,
    );
    assert.ok(error instanceof OutboundError, `expected an OutboundError, got ${error}`);
    return error;
}

/** A resolver that answers from a table and counts its calls. */
function fakeResolver(table: Record<string, string[]>): Resolver & { calls: string[] } {
    const calls: string[] = [];
    const resolve = async (hostname: string) => {
        calls.push(hostname);
        const answers = table[hostname];
        if (!answers) throw Object.assign(new Error("not found"), { code: "ENOTFOUND" });
        return answers.map(
            (address) => ({ address, family: address.includes(":") ? 6 : 4 }) as const,
        );
    };
    return Object.assign(resolve, { calls });
}

describe("outbound client: refused destinations", () => {
    let server: LoopbackServer;
    let watch: ConnectionWatch;
    let logs: string[];
    let previousSink: LogSink;

    beforeEach(async () => {
        server = await startServer((_request, response) => reply(response, 200, "ok"));
        watch = watchConnections();
        logs = [];
        previousSink = setLogSink((line) => logs.push(line));
    });
    afterEach(async () => {
        setLogSink(previousSink);
        watch.restore();
        await server.close();
        assert.deepEqual(watch.refused, [], "a socket headed off loopback");
    });

    const literalRefusals: Array<[string, string]> = [
        ["https://169.254.169.254/computeMetadata/v1/", "the metadata server address"],
        ["https://metadata.google.internal/computeMetadata/v1/", "the metadata host name"],
        ["https://metadata/computeMetadata/v1/", "the short metadata host name"],
        ["https://METADATA.google.internal./x", "the metadata name with case and root dot"],
        ["https://[fe80::1]/", "IPv6 link-local"],
        ["https://10.1.2.3/", "private 10/8"],
        ["https://172.20.0.1/", "private 172.16/12"],
        ["https://192.168.0.10/", "private 192.168/16"],
        ["https://100.64.1.1/", "carrier-grade NAT"],
        ["https://0.0.0.0/", "this-network 0/8"],
        ["https://224.0.0.251/", "multicast"],
        ["https://255.255.255.255/", "broadcast"],
        ["https://[fd00::1]/", "IPv6 unique-local"],
        ["https://[::ffff:169.254.169.254]/", "IPv4-mapped metadata address"],
        ["https://[::ffff:10.0.0.1]/", "IPv4-mapped private address"],
        ["https://[::ffff:7f00:1]/", "IPv4-mapped loopback in hex groups"],
        ["https://2852039166/", "the metadata address as a decimal number"],
        ["https://0xa9.0xfe.0xa9.0xfe/", "the metadata address in hex"],
        ["https://2130706433/", "loopback as a decimal number"],
        ["https://0x7f.1/", "loopback as hex shorthand"],
        ["https://0177.0.0.1/", "loopback in octal"],
        ["https://127.0.0.1/", "loopback without allowLoopback"],
        ["https://[::1]/", "IPv6 loopback without allowLoopback"],
        ["https://localhost/", "localhost without allowLoopback"],
    ];
    for (const [url, what] of literalRefusals) {
        it(`refuses ${what} before connecting`, async () => {
            const resolve = fakeResolver({});
            const error = await refusal(new OutboundClient({ resolve }), url);
            assert.equal(error.code, "blocked-address");
            assert.equal(error.attempts, 0);
            assert.match(error.message, /^GET https:\/\/\S+: the host is /);
            assert.deepEqual(watch.hosts, [], "no socket may be opened");
            assert.deepEqual(resolve.calls, [], "no DNS lookup may be made");
        });
    }

    it("keeps refusing private addresses when loopback is allowed", async () => {
        const client = new OutboundClient({ allowLoopback: true, resolve: fakeResolver({}) });
        for (const url of [
            "https://10.0.0.1/",
            "https://[::ffff:192.168.1.1]/",
            "https://169.254.169.254/",
            "http://metadata.google.internal/",
        ]) {
            assert.equal((await refusal(client, url)).code, "blocked-address", url);
        }
        assert.deepEqual(watch.hosts, []);
    });

    it("refuses a host name that resolves to a private address, at connect time", async () => {
        const resolve = fakeResolver({ "keys.example.com": ["10.9.8.7"] });
        const error = await refusal(new OutboundClient({ resolve }), "https://keys.example.com/v1");
        assert.equal(error.code, "blocked-address");
        assert.equal(
            error.message,
            "GET https://keys.example.com/v1: the host resolves to " +
                "10.9.8.7, a private network address; point the URL at the provider's public API " +
                "host",
        );
        assert.deepEqual(resolve.calls, ["keys.example.com"]);
        assert.equal(logs.length, 1);
        assert.deepEqual(JSON.parse(logs[0]), {
            ...JSON.parse(logs[0]),
            severity: "WARNING",
            event: "outbound.blocked",
            method: "GET",
            url: "https://keys.example.com/v1",
        });
    });

    it("refuses an answer that mixes a public and a link-local address", async () => {
        const resolve = fakeResolver({ "mixed.example.com": ["8.8.8.8", "169.254.169.254"] });
        const error = await refusal(new OutboundClient({ resolve }), "https://mixed.example.com/");
        assert.equal(error.code, "blocked-address");
        assert.match(error.message, /169\.254\.169\.254, a link-local address/);
    });

    it("refuses a host name rebound to loopback, before any byte reaches the server", async () => {
        const host = "rebind.example.com";
        const resolve = fakeResolver({ [host]: ["127.0.0.1"] });
        const error = await refusal(
            new OutboundClient({ resolve }),
            `https://${host}:${server.port}/`,
        );
        assert.equal(error.code, "blocked-address");
        assert.equal(server.connections(), 0);
    });

    it("checks every connection afresh, so a later answer cannot slip through", async () => {
        const answers = [["127.0.0.1"], ["10.0.0.9"]];
        const calls: string[] = [];
        const resolve: Resolver = async (hostname) => {
            calls.push(hostname);
            return (answers.shift() ?? []).map((address) => ({ address, family: 4 as const }));
        };
        const client = new OutboundClient({ allowLoopback: true, resolve });
        const url = `http://localhost:${server.port}/health`;
        const first = await client.request({ method: "GET", url });
        assert.equal(first.status, 200);
        const error = await refusal(client, url);
        assert.equal(error.code, "blocked-address");
        assert.deepEqual(calls, ["localhost", "localhost"]);
        assert.equal(server.seen.length, 1);
    });

    it("refuses plain http without allowLoopback", async () => {
        const resolve = fakeResolver({ "api.example.com": ["8.8.8.8"] });
        const error = await refusal(new OutboundClient({ resolve }), "http://api.example.com/v3");
        assert.equal(error.code, "insecure-url");
        assert.equal(
            error.message,
            "GET http://api.example.com/v3: plain http would expose the " +
                "request; use an https:// URL",
        );
        assert.deepEqual(resolve.calls, []);
        const toLoopback = await refusal(new OutboundClient(), `${server.origin}/`);
        assert.equal(toLoopback.code, "blocked-address");
        assert.equal(server.connections(), 0);
    });

    it("refuses plain http to a public host even with allowLoopback", async () => {
        const resolve = fakeResolver({ "api.example.com": ["8.8.8.8"] });
        const client = new OutboundClient({ allowLoopback: true, resolve });
        const error = await refusal(client, "http://api.example.com/");
        assert.equal(error.code, "insecure-url");
        assert.deepEqual(resolve.calls, []);
    });

    it("refuses plain http to localhost when the name resolves off loopback", async () => {
        const resolve = fakeResolver({ localhost: ["8.8.8.8"] });
        const client = new OutboundClient({ allowLoopback: true, resolve });
        const error = await refusal(client, "http://localhost:8080/");
        assert.equal(error.code, "blocked-address");
        assert.match(error.message, /8\.8\.8\.8, which is not loopback/);
    });

    it("refuses other schemes and URLs with credentials, without echoing them", async () => {
        const client = new OutboundClient({ allowLoopback: true });
        const ftp = await refusal(client, "ftp://files.example.com/x");
        assert.equal(ftp.code, "insecure-url");
        const withUser = await refusal(
            client,
            `http://admin:hunter2-secret@127.0.0.1:${server.port}/`,
        );
        assert.equal(withUser.code, "insecure-url");
        assert.match(withUser.message, /carries credentials/);
        assert.ok(!withUser.message.includes("hunter2-secret"));
        assert.ok(!withUser.message.includes("admin"));
        assert.equal(server.connections(), 0);
    });

    it("refuses an unparseable URL without echoing it", async () => {
        const error = await refusal(new OutboundClient(), "not a url sk-live-123");
        assert.equal(error.code, "invalid-request");
        assert.ok(!error.message.includes("sk-live-123"));
    });
});
