/**
 * A loopback relay between the rotator function and the fake SendGrid, so that the terminal can
 * show each key-management call the function makes (create, verify, revoke) at the moment the
 * provider answers it. The function logs only the outcome of a whole rotation; this is the
 * provider's side of the same story. Requests and answers pass through unchanged; the bot calls
 * the fake directly, so its thousands of sends stay out of this view.
 *
 * Nothing secret is read for the report: the key's name comes from the request, its ID from the
 * path or from the fake's key register, and the answer's body (which holds the new key) is passed
 * on without being looked at.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { FakeSendGrid } from "../standins/providers/sendgrid";
import type { DisplayLine } from "./display";

/** A running relay. */
export interface ProviderRelay {
    /** Write this into the policy as the SendGrid base URL instead of the fake's own. */
    readonly baseUrl: string;
    stop(): Promise<void>;
}

/** Headers that describe one connection or one encoding, not the message: never passed on. */
const HOP_BY_HOP = new Set([
    "connection",
    "keep-alive",
    "transfer-encoding",
    "content-length",
    "host",
]);

/** Starts the relay on 127.0.0.1 in front of `sendgrid`; each answered call goes to `report`. */
export async function startProviderRelay(
    sendgrid: FakeSendGrid,
    report: (line: DisplayLine) => void,
): Promise<ProviderRelay> {
    const target = new URL(sendgrid.baseUrl);
    const server = http.createServer((req, res) => {
        void relay(req, res).catch(() => {
            if (!res.headersSent) res.writeHead(502);
            res.end();
        });
    });
    const relay = async (req: http.IncomingMessage, res: http.ServerResponse) => {
        const body = await collect(req);
        const answer = await forward(target, req, body);
        report(describeCall(sendgrid, req.method ?? "GET", req.url ?? "/", body, answer.status));
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body);
    };
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve());
    });
    return {
        baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        stop: () =>
            new Promise<void>((resolve) => {
                server.close(() => resolve());
                server.closeAllConnections();
            }),
    };
}

/** The terminal line for one answered SendGrid call. */
export function describeCall(
    sendgrid: FakeSendGrid,
    method: string,
    url: string,
    body: Buffer,
    status: number,
): DisplayLine {
    const route = new URL(url, "http://relay").pathname;
    const call = `${method} ${route.replace(/^\/v3\/api_keys\/[^/]+$/, "/v3/api_keys/{id}")}`;
    const answered = `${call} answered ${status}`;
    if (status < 200 || status > 299) {
        return {
            lane: "provider",
            label: "call refused",
            detail: `SendGrid: ${answered}`,
            tone: "bad",
        };
    }
    if (call === "POST /v3/api_keys") {
        const name = requestedName(body);
        const key = [...sendgrid.register.all()].reverse().find((k) => k.name === name);
        return {
            lane: "provider",
            label: "created",
            detail: `SendGrid key ${name ?? "?"} (key ID ${key?.id ?? "?"}): ${answered}`,
        };
    }
    if (call === "GET /v3/scopes") {
        return { lane: "provider", label: "verified", detail: `the new key works: ${answered}` };
    }
    if (call === "DELETE /v3/api_keys/{id}") {
        const id = decodeURIComponent(route.split("/").pop() ?? "");
        return { lane: "provider", label: "revoked", detail: `SendGrid key ID ${id}: ${answered}` };
    }
    return { lane: "provider", label: "called", detail: `SendGrid: ${answered}` };
}

/** The `name` field of a create request (a key name, never a key). */
function requestedName(body: Buffer): string | undefined {
    try {
        const name = (JSON.parse(body.toString("utf8")) as { name?: unknown }).name;
        return typeof name === "string" ? name : undefined;
    } catch {
        return undefined;
    }
}

interface Answer {
    status: number;
    headers: Record<string, string | string[]>;
    body: Buffer;
}

function forward(target: URL, req: http.IncomingMessage, body: Buffer): Promise<Answer> {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
    }
    headers["content-length"] = String(body.length);
    return new Promise((resolve, reject) => {
        const upstream = http.request(
            {
                host: target.hostname,
                port: target.port,
                method: req.method,
                path: req.url,
                headers,
                // A fresh connection per call, so that no idle socket outlives the sandbox.
                agent: false,
            },
            (response) => {
                void collect(response).then((answerBody) => {
                    const answerHeaders: Record<string, string | string[]> = {};
                    for (const [name, value] of Object.entries(response.headers)) {
                        if (value !== undefined && !HOP_BY_HOP.has(name))
                            answerHeaders[name] = value;
                    }
                    resolve({
                        status: response.statusCode ?? 502,
                        headers: answerHeaders,
                        body: answerBody,
                    });
                }, reject);
            },
        );
        upstream.once("error", reject);
        upstream.end(body);
    });
}

function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.once("end", () => resolve(Buffer.concat(chunks)));
        stream.once("error", reject);
    });
}
