/**
 * A Slack incoming-webhook receiver on 127.0.0.1, standing in for hooks.slack.com so that alert
 * relays and the rotator's Slack messages can be tested end to end.
 *
 * It answers as Slack does, in text/plain: 200 `ok`; 400 `invalid_payload` for a body that is
 * not a JSON object (sent as application/json, or form-encoded in a `payload` field);
 * 400 `no_text` when the message has neither `text` nor `blocks`; 404 `no_service` for a path
 * that is not a configured webhook. Stricter than Slack: other content types get
 * `invalid_payload`, methods other than POST get 405. Injectable faults (operation "post"):
 * 429 `rate_limited` with Retry-After, 5xx `rollup_error`, a hang, and `orphan` (the message is
 * posted, the caller sees a 5xx or a reset: the duplicate-alert case).
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { systemClock, type Clock } from "../providers/clock";
import { FaultPlan } from "../providers/faults";
import { RequestCounter } from "../providers/counter";
import { randomChars } from "../providers/ids";

/** Options of the receiver. */
export interface SlackWebhookReceiverOptions {
    /** Webhook paths to accept. Default: one random `/services/T…/B…/…` path. */
    paths?: string[];
    /** Default: 0 (a free port). */
    port?: number;
    /** Stamps `receivedAt`. Default: the system clock. */
    clock?: Clock;
}

/** One message Slack would have posted. */
export interface ReceivedMessage {
    /** The webhook path it was posted to. */
    readonly path: string;
    /** The message as parsed JSON. */
    readonly body: Readonly<Record<string, unknown>>;
    readonly receivedAt: number;
}

/** A running receiver. */
export interface SlackWebhookReceiver {
    readonly baseUrl: string;
    /** The full URL of the first webhook (a secret in production; fine in tests). */
    readonly url: string;
    /** The full URLs of every configured webhook. */
    readonly urls: readonly string[];
    /** Messages accepted so far, oldest first. */
    readonly messages: readonly ReceivedMessage[];
    /** Faults for operation "post": rate-limit, server-error, hang, orphan. */
    readonly faults: FaultPlan;
    /** Requests per operation ("post", "unmatched"). */
    readonly requests: RequestCounter;
    /** Resolves with the messages once at least `count` arrived; rejects after `timeoutMs`. */
    waitForMessages(count: number, timeoutMs?: number): Promise<ReceivedMessage[]>;
    /** Forgets the messages received so far. */
    clear(): void;
    /** Closes the server, every connection, and rejects pending waits. */
    stop(): Promise<void>;
}

/** A webhook path shaped like Slack's. */
export function randomWebhookPath(): string {
    const upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    return `/services/T${randomChars(10, upper)}/B${randomChars(10, upper)}/${randomChars(24)}`;
}

interface Waiter {
    count: number;
    resolve(messages: ReceivedMessage[]): void;
    reject(error: Error): void;
    timer: NodeJS.Timeout;
}

/** Starts a webhook receiver on 127.0.0.1. */
export async function startSlackWebhookReceiver(
    options: SlackWebhookReceiverOptions = {},
): Promise<SlackWebhookReceiver> {
    const paths = options.paths ?? [randomWebhookPath()];
    const clock = options.clock ?? systemClock;
    const messages: ReceivedMessage[] = [];
    const waiters: Waiter[] = [];
    const faults = new FaultPlan(["post"], ["rate-limit", "server-error", "hang", "orphan"]);
    const requests = new RequestCounter();

    const accept = (message: ReceivedMessage) => {
        messages.push(message);
        for (const w of waiters.filter((w) => messages.length >= w.count)) {
            clearTimeout(w.timer);
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve([...messages]);
        }
    };
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
            const answer = (status: number, text: string, headers: Record<string, string> = {}) => {
                requests.record(paths.includes(path) ? "post" : "unmatched", status !== 200);
                res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", ...headers });
                res.end(text);
            };
            if (!paths.includes(path)) return answer(404, "no_service");
            if (req.method !== "POST") return answer(405, "method_not_allowed");
            const fault = faults.take("post");
            if (fault?.kind === "hang") return requests.record("post", true);
            if (fault?.kind === "rate-limit") {
                const seconds = String(fault.retryAfterSeconds ?? 30);
                return answer(429, "rate_limited", { "Retry-After": seconds });
            }
            if (fault?.kind === "server-error") return answer(fault.status ?? 500, "rollup_error");
            const raw = Buffer.concat(chunks).toString("utf8");
            const body = parseMessage(req.headers["content-type"], raw);
            if (!body) return answer(400, "invalid_payload");
            if (!hasContent(body)) return answer(400, "no_text");
            accept({ path, body, receivedAt: clock.now() });
            if (fault?.kind !== "orphan") return answer(200, "ok");
            if (fault.after === "reset") {
                requests.record("post", true);
                return void res.socket?.destroy();
            }
            if (fault.after === "hang") return requests.record("post", true);
            return answer(fault.status ?? 500, "rollup_error");
        });
    });
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
    });
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    return {
        baseUrl,
        url: baseUrl + paths[0],
        urls: paths.map((p) => baseUrl + p),
        get messages() {
            return [...messages];
        },
        faults,
        requests,
        waitForMessages: (count, timeoutMs = 2000) => {
            if (messages.length >= count) return Promise.resolve([...messages]);
            return new Promise((resolve, reject) => {
                const timer = setTimeout(() => {
                    waiters.splice(waiters.indexOf(waiter), 1);
                    reject(
                        new Error(
                            `Expected ${count} Slack message(s) within ${timeoutMs} ms; ` +
                                `got ${messages.length}.`,
                        ),
                    );
                }, timeoutMs);
                const waiter: Waiter = { count, resolve, reject, timer };
                waiters.push(waiter);
            });
        },
        clear: () => void messages.splice(0),
        stop: () =>
            new Promise<void>((resolve) => {
                for (const w of waiters.splice(0)) {
                    clearTimeout(w.timer);
                    w.reject(
                        new Error("The Slack webhook receiver stopped before the messages came."),
                    );
                }
                server.close(() => resolve());
                server.closeAllConnections();
            }),
    };
}

/** The message in a JSON or form (`payload=`) body, or undefined when it is not a JSON object. */
function parseMessage(contentType: string | undefined, raw: string) {
    const type = (contentType ?? "").split(";")[0].trim().toLowerCase();
    let text: string | null = null;
    if (type === "application/json") text = raw;
    else if (type === "application/x-www-form-urlencoded") {
        text = new URLSearchParams(raw).get("payload");
    }
    if (text === null) return undefined;
    try {
        const value: unknown = JSON.parse(text);
        const isObject = typeof value === "object" && value !== null && !Array.isArray(value);
        return isObject ? (value as Record<string, unknown>) : undefined;
    } catch {
        return undefined;
    }
}

function hasContent(message: Record<string, unknown>): boolean {
    const text = message.text;
    const blocks = message.blocks;
    return (
        (typeof text === "string" && text.trim() !== "") ||
        (Array.isArray(blocks) && blocks.length > 0)
    );
}
