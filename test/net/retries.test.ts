import assert from "node:assert/strict";
import type http from "node:http";
import { setLogSink, type LogSink } from "../../functions/rotator/log";
import {
    OutboundClient,
    OutboundError,
    type OutboundOptions,
    type OutboundRequest,
} from "../../functions/rotator/net";
import {
    reply,
    startServer,
    watchConnections,
    type ConnectionWatch,
    type LoopbackServer,
} from "./loopback";

/** A fixed clock on a whole second, so HTTP dates (second precision) are exact. */
const NOW = Date.UTC(2026, 11, 3, 12, 0, 0);

type Step = (response: http.ServerResponse) => void;

describe("outbound client: retries", () => {
    let server: LoopbackServer;
    let script: Step[];
    let sleeps: number[];
    let logs: string[];
    let previousSink: LogSink;

    /** Serves the scripted answers in order, then 200 "done" for anything after. */
    let watch: ConnectionWatch;
    beforeEach(async () => {
        watch = watchConnections();
        script = [];
        sleeps = [];
        server = await startServer((_request, response) => {
            const step = script.shift();
            if (step) step(response);
            else reply(response, 200, { done: true });
        });
        logs = [];
        previousSink = setLogSink((line) => logs.push(line));
    });
    afterEach(async () => {
        setLogSink(previousSink);
        await server.close();
        watch.restore();
        assert.deepEqual(watch.refused, [], "a socket headed off loopback");
    });

    function client(options: OutboundOptions = {}) {
        return new OutboundClient({
            allowLoopback: true,
            baseBackoffMs: 100,
            maxBackoffMs: 300,
            random: () => 0.5,
            now: () => NOW,
            sleep: async (ms) => {
                sleeps.push(ms);
            },
            ...options,
        });
    }
    const status =
        (code: number, headers: Record<string, string> = {}): Step =>
        (response) =>
            reply(response, code, { error: code }, headers);
    const get = (): OutboundRequest => ({ method: "GET", url: `${server.origin}/v1/keys` });
    const create = (): OutboundRequest => ({
        method: "POST",
        url: `${server.origin}/v1/keys`,
        json: { name: "bot-1" },
    });

    it("waits the Retry-After seconds of a 429, then succeeds", async () => {
        script = [status(429, { "retry-after": "2" })];
        const response = await client().request(get());
        assert.equal(response.status, 200);
        assert.equal(response.attempts, 2);
        assert.deepEqual(sleeps, [2000]);
        const logged = JSON.parse(logs[0]);
        assert.equal(logged.event, "outbound.retry");
        assert.equal(logged.status, 429);
        assert.equal(logged.delayMs, 2000);
        assert.equal(
            logged.message,
            `GET ${server.origin}/v1/keys: attempt 1 got HTTP 429; retrying in 2000 ms`,
        );
    });

    it("waits until a Retry-After HTTP date", async () => {
        script = [status(429, { "retry-after": new Date(NOW + 5000).toUTCString() })];
        const response = await client().request(get());
        assert.equal(response.attempts, 2);
        assert.deepEqual(sleeps, [5000]);
    });

    it("backs off with full jitter on 5xx: random x min(max, base x 2^n)", async () => {
        script = [status(503), status(500), status(502)];
        const response = await client().request(get());
        assert.equal(response.attempts, 4);
        assert.deepEqual(sleeps, [50, 100, 150]);
        assert.equal(server.seen.length, 4);
    });

    it("draws each delay from the injected random source", async () => {
        const draws = [0, 0.999];
        script = [status(500), status(500)];
        await client({ random: () => draws.shift() ?? 0 }).request(get());
        assert.deepEqual(sleeps, [0, 199]);
    });

    it("throws retries-exhausted when every attempt gets a retryable status", async () => {
        script = [status(502), status(502), status(502), status(502)];
        const error = await client()
            .request(get())
            .catch((caught: unknown) => caught);
        assert.ok(error instanceof OutboundError);
        assert.equal(error.code, "retries-exhausted");
        assert.equal(error.status, 502);
        assert.equal(error.attempts, 4);
        assert.equal(server.seen.length, 4);
        assert.deepEqual(sleeps, [50, 100, 150]);
    });

    it("does not retry a create after a 500: the key may exist", async () => {
        script = [status(500)];
        const response = await client().request(create());
        assert.equal(response.status, 500);
        assert.equal(response.attempts, 1);
        assert.deepEqual(response.body, { error: 500 });
        assert.equal(server.seen.length, 1);
        assert.deepEqual(sleeps, []);
    });

    it("does not retry a create after a 503 without Retry-After", async () => {
        script = [status(503)];
        const response = await client().request(create());
        assert.equal(response.status, 503);
        assert.equal(server.seen.length, 1);
    });

    it("retries a create after a 429 and after a 503 with Retry-After", async () => {
        script = [status(429), status(503, { "retry-after": "1" })];
        const response = await client().request(create());
        assert.equal(response.status, 200);
        assert.equal(response.attempts, 3);
        assert.deepEqual(sleeps, [50, 1000]);
        assert.equal(server.seen.filter((seen) => seen.method === "POST").length, 3);
    });

    it("fails rate-limited, without sleeping, when Retry-After is over the cap", async () => {
        script = [status(429, { "retry-after": "120" })];
        const error = await client({ maxRetryAfterMs: 60_000 })
            .request(get())
            .catch((caught: unknown) => caught);
        assert.ok(error instanceof OutboundError);
        assert.equal(error.code, "rate-limited");
        assert.equal(error.retryAfterMs, 120_000);
        assert.equal(error.retryAt?.getTime(), NOW + 120_000);
        assert.equal(
            error.message,
            `GET ${server.origin}/v1/keys: the host answered 429 and ` +
                "asked to wait 120 s; try again after 2026-12-03T12:02:00.000Z",
        );
        assert.deepEqual(sleeps, []);
        assert.equal(server.seen.length, 1);
    });

    it("returns other errors at once: 400, 401, 404, 501", async () => {
        for (const code of [400, 401, 404, 501]) {
            script = [status(code)];
            const response = await client().request(get());
            assert.equal(response.status, code);
            assert.equal(response.attempts, 1);
        }
        assert.deepEqual(sleeps, []);
    });

    it("retries a create whose connection was refused, since nothing was sent", async () => {
        const closed = await startServer(() => undefined);
        await closed.close();
        const error = await client({ maxAttempts: 3 })
            .request({
                method: "POST",
                url: `${closed.origin}/v1/keys`,
                json: {},
            })
            .catch((caught: unknown) => caught);
        assert.ok(error instanceof OutboundError);
        assert.equal(error.code, "retries-exhausted");
        assert.equal(error.attempts, 3);
        assert.match(error.message, /the last attempt failed \(ECONNREFUSED\)/);
        assert.deepEqual(sleeps, [50, 100]);
    });

    it("does not retry a create whose connection dropped after sending", async () => {
        script = [(response) => response.socket?.destroy()];
        const error = await client()
            .request(create())
            .catch((caught: unknown) => caught);
        assert.ok(error instanceof OutboundError);
        assert.equal(error.code, "network");
        assert.equal(error.attempts, 1);
        assert.match(error.message, /the attempt failed \(ECONNRESET\); the request is not /);
        assert.match(error.message, /may have taken effect: check the provider/);
        assert.equal(server.seen.length, 1);
    });

    it("retries a read whose connection dropped", async () => {
        script = [(response) => response.socket?.destroy()];
        const response = await client().request(get());
        assert.equal(response.status, 200);
        assert.equal(response.attempts, 2);
        assert.deepEqual(sleeps, [50]);
    });
});
