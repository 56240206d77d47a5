import assert from "node:assert/strict";
import zlib from "node:zlib";
import { setLogSink, type LogSink } from "../../functions/rotator/log";
import { OutboundClient, OutboundError } from "../../functions/rotator/net";
import {
    reply,
    startServer,
    watchConnections,
    type ConnectionWatch,
    type Handler,
    type LoopbackServer,
} from "./loopback";

describe("outbound client: responses, redirects, timeouts and size caps", () => {
    const servers: LoopbackServer[] = [];
    let previousSink: LogSink;
    const client = new OutboundClient({ allowLoopback: true, sleep: async () => {} });

    async function serve(handler: Handler): Promise<LoopbackServer> {
        const server = await startServer(handler);
        servers.push(server);
        return server;
    }
    let watch: ConnectionWatch;
    beforeEach(() => {
        previousSink = setLogSink(() => undefined);
        watch = watchConnections();
    });
    afterEach(async () => {
        setLogSink(previousSink);
        await Promise.all(servers.splice(0).map((server) => server.close()));
        watch.restore();
        assert.deepEqual(watch.refused, [], "a socket headed off loopback");
    });

    it("parses a JSON body, keeps text as text, and lower-cases header names", async () => {
        const server = await serve((request, response) => {
            if (request.path === "/json") {
                reply(response, 201, { api_key_id: "k-1" }, { "X-Request-Id": "r-9" });
            } else if (request.path === "/problem") {
                reply(response, 400, '{"title":"bad"}', {
                    "content-type": "application/problem+json",
                });
            } else if (request.path === "/broken") {
                reply(response, 502, "<html>gateway</html>", {
                    "content-type": "application/json",
                });
            } else {
                reply(response, 200, "ok");
            }
        });
        const json = await client.request({ method: "GET", url: `${server.origin}/json` });
        assert.deepEqual(json.body, { api_key_id: "k-1" });
        assert.equal(json.bodyType, "json");
        assert.equal(json.status, 201);
        assert.equal(json.headers["x-request-id"], "r-9");
        assert.ok(Object.keys(json.headers).every((name) => name === name.toLowerCase()));
        const problem = await client.request({ method: "GET", url: `${server.origin}/problem` });
        assert.deepEqual(problem.body, { title: "bad" });
        const text = await client.request({ method: "GET", url: `${server.origin}/text` });
        assert.equal(text.body, "ok");
        assert.equal(text.bodyType, "text");
        const broken = await client.request({
            method: "POST",
            url: `${server.origin}/broken`,
            json: {},
        });
        assert.equal(broken.status, 502);
        assert.equal(broken.body, "<html>gateway</html>");
        assert.equal(broken.bodyType, "text");
    });

    it("sends a JSON body with its content type and the caller's headers", async () => {
        const server = await serve((_request, response) => reply(response, 204));
        const response = await client.request({
            method: "PATCH",
            url: `${server.origin}/v1/keys/k-1`,
            json: { name: "bot-2" },
            headers: { "X-Trace": "t-1" },
        });
        assert.equal(response.status, 204);
        assert.equal(response.body, "");
        const seen = server.seen[0];
        assert.equal(seen.method, "PATCH");
        assert.equal(seen.headers["content-type"], "application/json; charset=utf-8");
        assert.equal(seen.headers["x-trace"], "t-1");
        assert.deepEqual(JSON.parse(seen.body), { name: "bot-2" });
    });

    it("does not follow a redirect, so credentials cannot be carried elsewhere", async () => {
        const elsewhere = await serve((_request, response) => reply(response, 200, "stolen"));
        const server = await serve((_request, response) =>
            reply(response, 302, "", { location: `${elsewhere.origin}/collect` }),
        );
        const response = await client.request({
            method: "GET",
            url: `${server.origin}/v1/keys`,
            credentialHost: "127.0.0.1",
            headers: { authorization: "Bearer admin-token" },
        });
        assert.equal(response.status, 302);
        assert.equal(response.headers.location, `${elsewhere.origin}/collect`);
        assert.equal(response.attempts, 1);
        assert.equal(elsewhere.connections(), 0);
    });

    it("refuses a body over the size cap, counted after decompression", async () => {
        const big = Buffer.alloc(2 * 1024 * 1024, "a");
        const server = await serve((request, response) => {
            if (request.path === "/gzip") {
                response.writeHead(200, {
                    "content-encoding": "gzip",
                    "content-type": "text/plain",
                });
                response.end(zlib.gzipSync(big));
            } else {
                response.writeHead(200, { "content-type": "text/plain" });
                response.end(big);
            }
        });
        for (const path of ["/plain", "/gzip"]) {
            const error = await client
                .request({ method: "GET", url: `${server.origin}${path}` })
                .catch((caught: unknown) => caught);
            assert.ok(error instanceof OutboundError, path);
            assert.equal(error.code, "response-too-large");
            assert.match(error.message, /passed the cap of 1048576 bytes/);
            assert.equal(error.attempts, 1);
        }
        assert.equal(server.seen.length, 2, "a too-large answer is not retried");
    });

    it("honours a smaller configured response cap", async () => {
        const server = await serve((_request, response) => reply(response, 200, "x".repeat(2000)));
        const small = new OutboundClient({ allowLoopback: true, maxResponseBytes: 1000 });
        const error = await small
            .request({ method: "GET", url: `${server.origin}/` })
            .catch((caught: unknown) => caught);
        assert.ok(error instanceof OutboundError);
        assert.equal(error.code, "response-too-large");
    });

    it("times out a silent create once and does not repeat it", async () => {
        const server = await serve(() => undefined);
        const quick = new OutboundClient({ allowLoopback: true, timeoutMs: 80 });
        const started = Date.now();
        const error = await quick
            .request({
                method: "POST",
                url: `${server.origin}/v3/api_keys`,
                json: { name: "bot-1" },
            })
            .catch((caught: unknown) => caught);
        assert.ok(error instanceof OutboundError);
        assert.equal(error.code, "timeout");
        assert.equal(error.attempts, 1);
        assert.equal(
            error.message,
            `POST ${server.origin}/v3/api_keys: no complete answer ` +
                "within 80 ms; the request is not idempotent and may have taken effect: check " +
                "the provider before repeating it",
        );
        assert.equal(server.seen.length, 1);
        assert.ok(Date.now() - started < 1000);
    });

    it("times out on wall-clock time while a body trickles in, and retries reads", async () => {
        const server = await serve((_request, response) => {
            response.writeHead(200, { "content-type": "text/plain" });
            const drip = setInterval(() => response.write("."), 10);
            response.on("close", () => clearInterval(drip));
        });
        const sleeps: number[] = [];
        const quick = new OutboundClient({
            allowLoopback: true,
            timeoutMs: 80,
            maxAttempts: 2,
            random: () => 0,
            sleep: async (ms) => {
                sleeps.push(ms);
            },
        });
        const error = await quick
            .request({ method: "GET", url: `${server.origin}/slow` })
            .catch((caught: unknown) => caught);
        assert.ok(error instanceof OutboundError);
        assert.equal(error.code, "retries-exhausted");
        assert.match(error.message, /the last attempt timed out/);
        assert.equal(server.seen.length, 2);
        assert.deepEqual(sleeps, [0]);
    });

    it("rejects options that make no sense, naming the option", () => {
        assert.throws(
            () => new OutboundClient({ maxAttempts: 0 }),
            /OutboundOptions\.maxAttempts must be a positive number, got 0/,
        );
        assert.throws(
            () => new OutboundClient({ maxAttempts: 1.5 }),
            /OutboundOptions\.maxAttempts must be an integer/,
        );
        assert.throws(
            () => new OutboundClient({ timeoutMs: Number.NaN }),
            /OutboundOptions\.timeoutMs must be a positive number/,
        );
    });
});
