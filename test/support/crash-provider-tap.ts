/**
 * A loopback relay between the rotator function and a fake provider. Every request goes through
 * to the fake unchanged; once the fake has answered (so it has acted: made, checked or revoked
 * a key), the relay reports the operation and holds the answer until the report's handler is
 * done. A crash test kills the function there: the provider acted, the function never heard.
 *
 * This is the provider-side twin of the emulator's after-apply hook. It names the operation by
 * the fake's own request counter, so it needs no knowledge of any provider's paths.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { FakeBase } from "../../standins/providers";

/** Called with the fake's operation name ("create", "revoke"...) after the fake answered. */
export type AnsweredHandler = (operation: string) => void | Promise<void>;

/** A running relay. */
export interface ProviderTap {
    /** Point the rotator's policy here instead of at the fake. */
    readonly baseUrl: string;
    /** Receives every answered operation; replace it at any time. */
    onAnswered: AnsweredHandler;
    /** What went wrong inside the relay (a test should find this empty). */
    readonly problems: string[];
    stop(): Promise<void>;
}

/** Headers that belong to one connection and are not passed on. */
const HOP_BY_HOP = new Set([
    "connection",
    "keep-alive",
    "transfer-encoding",
    "host",
    "content-length",
]);

/** Starts a relay on 127.0.0.1 in front of `fake`. */
export async function startProviderTap(fake: FakeBase): Promise<ProviderTap> {
    const target = new URL(fake.baseUrl);
    // One request at a time, so that the counter's change belongs to that request alone. A
    // rotation calls its provider one request after another anyway.
    let queue: Promise<void> = Promise.resolve();
    const tap: ProviderTap = {
        baseUrl: "",
        onAnswered: () => undefined,
        problems: [],
        stop: async () => undefined,
    };
    const server = http.createServer((req, res) => {
        res.on("error", () => undefined);
        req.socket.on("error", () => undefined);
        const body = collect(req);
        queue = queue
            .then(async () => {
                const before = fake.requests.snapshot();
                const answer = await forward(target, req, await body);
                const operation = changedOperation(before, fake.requests.snapshot());
                if (!operation) {
                    tap.problems.push(
                        `${req.method} ${req.url}: the fake counted no single operation`,
                    );
                }
                await tap.onAnswered(operation ?? "unknown");
                if (res.destroyed) return;
                res.writeHead(answer.status, answer.headers);
                res.end(answer.body);
            })
            .catch((error: unknown) => {
                tap.problems.push(`${req.method} ${req.url}: ${String(error)}`);
                if (!res.headersSent && !res.destroyed) res.writeHead(502).end();
            });
    });
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    Object.assign(tap, {
        baseUrl: `http://127.0.0.1:${port}`,
        stop: () =>
            new Promise<void>((resolve) => {
                server.close(() => resolve());
                server.closeAllConnections();
            }),
    });
    return tap;
}

interface Relayed {
    status: number;
    headers: Record<string, string>;
    body: Buffer;
}

function forward(target: URL, req: http.IncomingMessage, body: Buffer): Promise<Relayed> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = String(value);
    }
    if (body.length > 0) headers["content-length"] = String(body.length);
    return new Promise((resolve, reject) => {
        const options = {
            host: target.hostname,
            port: target.port,
            method: req.method,
            path: req.url,
            headers,
        };
        const outgoing = http.request(options, (answer) => {
            collect(answer).then((data) => {
                const relayed: Record<string, string> = {};
                for (const [name, value] of Object.entries(answer.headers)) {
                    if (value !== undefined && !HOP_BY_HOP.has(name)) relayed[name] = String(value);
                }
                resolve({ status: answer.statusCode ?? 502, headers: relayed, body: data });
            }, reject);
        });
        outgoing.on("error", reject);
        outgoing.end(body);
    });
}

function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => resolve(Buffer.concat(chunks)));
        stream.on("error", reject);
    });
}

/** The one operation whose request count went up ("unmatched" for an unrouted request). */
function changedOperation(
    before: Record<string, { total: number }>,
    after: Record<string, { total: number }>,
): string | undefined {
    const changed = Object.keys(after).filter((op) => after[op].total !== (before[op]?.total ?? 0));
    return changed.length === 1 ? changed[0] : undefined;
}
