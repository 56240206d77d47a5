/**
 * The HTTP server every fake provider runs on: loopback only, port 0 by default.
 *
 * It routes a request to its handler, counts it under the route's operation, plays any fault
 * armed for that operation, and writes the reply as JSON. Faults that model a provider that
 * never got to act (429, 5xx, hang) are played before the handler runs; faults that model a
 * provider that acted but answered badly (malformed body, missing key, orphan) after it.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { systemClock, type Clock } from "./clock";
import { ALL_FAULT_KINDS, FaultPlan, type Fault, type FaultKind } from "./faults";
import { RequestCounter } from "./counter";
import { KeyRegister } from "./register";
import {
    ProviderError,
    type Dialect,
    type FakeReply,
    type FakeRequest,
    type Route,
} from "./routing";

/** Options every fake accepts. */
export interface FakeOptions {
    /** The clock for key times and expiry. Default: the system clock. */
    clock?: Clock;
    /** The loopback port to listen on. Default: 0, a free port chosen by the system. */
    port?: number;
}

/** The parts every running fake exposes. */
export interface FakeBase {
    /** `http://127.0.0.1:<port>`, with no trailing slash. */
    readonly baseUrl: string;
    readonly clock: Clock;
    /** Every key this fake ever issued, with its validity over time. */
    readonly register: KeyRegister;
    /** Faults to play on the next requests of an operation. */
    readonly faults: FaultPlan;
    /** Requests received, per operation. */
    readonly requests: RequestCounter;
    /** Closes the server and every open connection, hanging requests included. */
    stop(): Promise<void>;
}

/** What a fake provider file hands to `startFake`. */
export interface FakeSpec {
    /** The fake's name, used in internal-error messages. */
    name: string;
    dialect: Dialect;
    /** The operation names its routes use (the names a test arms faults by). */
    operations: readonly string[];
    /** Fault kinds it can play; default all. */
    faultKinds?: readonly FaultKind[];
    /** Builds the routes once the register and clock exist. */
    routes(core: { clock: Clock; register: KeyRegister }): Route[];
}

const MAX_BODY_BYTES = 1024 * 1024;

/** Starts a fake on 127.0.0.1 and resolves once it listens. */
export async function startFake(options: FakeOptions, spec: FakeSpec): Promise<FakeBase> {
    const clock = options.clock ?? systemClock;
    const register = new KeyRegister(clock);
    const faults = new FaultPlan(spec.operations, spec.faultKinds ?? ALL_FAULT_KINDS);
    const requests = new RequestCounter();
    const routes = spec.routes({ clock, register });
    const server = http.createServer((req, res) => {
        collectBody(req)
            .then((body) => dispatch(req, res, body, { spec, routes, faults, requests }))
            .catch((error: unknown) => {
                if (error instanceof ProviderError) send(res, errorReply(spec.dialect, error));
                else res.destroy();
            });
    });
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const stop = () =>
        new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
        });
    return { baseUrl: `http://127.0.0.1:${port}`, clock, register, faults, requests, stop };
}

interface Context {
    spec: FakeSpec;
    routes: Route[];
    faults: FaultPlan;
    requests: RequestCounter;
}

async function dispatch(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    body: string,
    { spec, routes, faults, requests }: Context,
): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = req.method ?? "GET";
    const onPath = routes
        .map((r) => ({ r, match: r.pattern.exec(url.pathname) }))
        .filter((m) => m.match !== null);
    const found = onPath.find((m) => m.r.method === method);
    if (!found) {
        requests.record("unmatched", true);
        const status = onPath.length > 0 ? (spec.dialect.wrongMethodStatus ?? 405) : 404;
        const message =
            onPath.length > 0
                ? `Method ${method} is not allowed on this path.`
                : "No such resource: check the path against the provider's API reference.";
        send(res, errorReply(spec.dialect, new ProviderError(status, message)));
        return;
    }
    const { r, match } = found;
    const params: Record<string, string> = {};
    try {
        r.names.forEach((name, i) => (params[name] = decodeURIComponent(match![i + 1])));
    } catch {
        const error = new ProviderError(400, "The path holds a malformed percent-encoding.");
        requests.record(r.operation, true);
        return send(res, errorReply(spec.dialect, error));
    }
    const request: FakeRequest = {
        method,
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
        params,
    };
    const fault = faults.take(r.operation);
    if (fault && isBeforeActing(fault)) {
        requests.record(r.operation, true);
        if (fault.kind === "hang") return; // answered never; stop() closes the socket
        send(res, faultReply(spec.dialect, fault));
        return;
    }
    let reply: FakeReply;
    try {
        reply = await r.handle(request);
    } catch (error) {
        const known = error instanceof ProviderError;
        if (!known) process.stderr.write(`fake ${spec.name}: handler failed: ${String(error)}\n`);
        reply = errorReply(spec.dialect, known ? error : new ProviderError(500, "Internal error."));
    }
    const failed = reply.failed ?? reply.status >= 400;
    requests.record(r.operation, failed || (fault !== undefined && fault.kind !== "missing-key"));
    if (!fault || failed) return send(res, reply);
    playAfterActing(res, reply, fault, spec.dialect);
}

function isBeforeActing(fault: Fault): boolean {
    return fault.kind === "rate-limit" || fault.kind === "server-error" || fault.kind === "hang";
}

function faultReply(dialect: Dialect, fault: Fault): FakeReply {
    if (fault.kind === "rate-limit") {
        const seconds = fault.retryAfterSeconds ?? 60;
        const error = new ProviderError(429, "Too many requests; retry later.", {
            retryAfterSeconds: seconds,
        });
        return { ...errorReply(dialect, error), headers: { "Retry-After": String(seconds) } };
    }
    const status = fault.kind === "server-error" ? (fault.status ?? 500) : 500;
    const message = "The service is temporarily unavailable.";
    return errorReply(dialect, new ProviderError(status, message));
}

function playAfterActing(
    res: http.ServerResponse,
    reply: FakeReply,
    fault: Fault,
    dialect: Dialect,
): void {
    if (fault.kind === "missing-key") {
        send(res, { ...reply, body: withoutSecret(reply.body, reply.secret) });
    } else if (fault.kind === "malformed-body") {
        const text = reply.body === undefined ? '{"result":' : JSON.stringify(reply.body);
        const status = reply.body === undefined ? 200 : reply.status;
        res.writeHead(status, { "Content-Type": "application/json; charset=utf-8" });
        res.end(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
    } else if (fault.kind === "orphan") {
        if (fault.after === "reset") res.socket?.destroy();
        else if (fault.after !== "hang") {
            const message = "Bad gateway; the result is unknown.";
            send(res, errorReply(dialect, new ProviderError(fault.status ?? 502, message)));
        }
    }
}

/** Deep copy of `value` without any property whose value is one of the secrets. */
function withoutSecret(value: unknown, secret: FakeReply["secret"]): unknown {
    const secrets: readonly unknown[] = typeof secret === "string" ? [secret] : (secret ?? []);
    if (value === null || typeof value !== "object") return value;
    if (Array.isArray(value)) return value.map((v) => withoutSecret(v, secret));
    const entries = Object.entries(value).filter(([, v]) => !secrets.includes(v));
    return Object.fromEntries(entries.map(([k, v]) => [k, withoutSecret(v, secret)]));
}

function errorReply(dialect: Dialect, error: ProviderError): FakeReply {
    const body = dialect.error(error.status, error.message, error.details);
    return { status: error.status, body };
}

function send(res: http.ServerResponse, reply: FakeReply): void {
    const headers: Record<string, string> = { ...(reply.headers ?? {}) };
    if (reply.body === undefined) {
        res.writeHead(reply.status, headers);
        res.end();
        return;
    }
    headers["Content-Type"] = "application/json; charset=utf-8";
    res.writeHead(reply.status, headers);
    res.end(JSON.stringify(reply.body));
}

function collectBody(req: http.IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        req.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_BODY_BYTES) {
                reject(new ProviderError(413, "The request body is larger than 1 MiB."));
                req.resume();
            } else chunks.push(chunk);
        });
        req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
        req.on("error", reject);
    });
}
