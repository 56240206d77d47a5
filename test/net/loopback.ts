/**
 * Test helpers: a real HTTP server on 127.0.0.1 that records what reached it, and a guard that
 * records every socket connect in the process and stops any that heads off loopback, so a
 * policy bug fails the test instead of sending a packet to a real network.
 */
import http from "node:http";
import net from "node:net";

/** One request as the server saw it. */
export interface SeenRequest {
    method: string;
    path: string;
    headers: http.IncomingHttpHeaders;
    body: string;
}

/** Answers one request; may write the response in any way, or never answer. */
export type Handler = (request: SeenRequest, response: http.ServerResponse) => void;

/** A running loopback server. */
export interface LoopbackServer {
    /** `http://127.0.0.1:<port>` */
    origin: string;
    port: number;
    /** Requests that reached the server, in order. */
    seen: SeenRequest[];
    /** TCP connections accepted, whether or not a request followed. */
    connections(): number;
    /** Closes the server and every connection it holds. */
    close(): Promise<void>;
}

/** Starts a server on 127.0.0.1 with a random port. */
export async function startServer(handler: Handler): Promise<LoopbackServer> {
    const seen: SeenRequest[] = [];
    let connections = 0;
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (chunk: Buffer) => chunks.push(chunk));
        req.on("end", () => {
            const request = {
                method: req.method ?? "",
                path: req.url ?? "",
                headers: req.headers,
                body: Buffer.concat(chunks).toString("utf8"),
            };
            seen.push(request);
            handler(request, res);
        });
    });
    server.on("connection", () => connections++);
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    const port = (server.address() as net.AddressInfo).port;
    return {
        origin: `http://127.0.0.1:${port}`,
        port,
        seen,
        connections: () => connections,
        close: () =>
            new Promise<void>((done) => {
                server.closeAllConnections();
                server.close(() => done());
            }),
    };
}

/** Records socket connects; see {@link watchConnections}. */
export interface ConnectionWatch {
    /** Hosts (names or IPs) that sockets were asked to connect to. */
    hosts: string[];
    /** Addresses off loopback that a socket was about to reach; the guard stopped each one. */
    refused: string[];
    /** Puts the original `connect` back. */
    restore(): void;
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

/**
 * Wraps `net.Socket.prototype.connect` (TLS sockets inherit it) to record each target host,
 * and stops a socket before it reaches any address off loopback: an IP literal at once, a
 * resolved name when its address is known (the `lookup` and `connectionAttempt` events fire
 * before the connection is made). A stopped socket is destroyed quietly and recorded in
 * `refused`, which tests assert is empty: a policy bug then fails the test without sending a
 * packet anywhere.
 */
export function watchConnections(): ConnectionWatch {
    const original = net.Socket.prototype.connect;
    const hosts: string[] = [];
    const refused: string[] = [];
    net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
        const first = Array.isArray(args[0]) ? args[0][0] : args[0];
        const host =
            typeof first === "object" && first !== null
                ? String((first as { host?: unknown }).host ?? "localhost")
                : String(args[1] ?? "localhost");
        hosts.push(host);
        const stopIfOffLoopback = (address: unknown) => {
            if (typeof address !== "string" || address === "" || LOOPBACK.has(address)) {
                return false;
            }
            refused.push(address);
            this.destroy();
            return true;
        };
        if (net.isIP(host) && stopIfOffLoopback(host)) return this;
        this.on("lookup", (_error: unknown, address: unknown) => stopIfOffLoopback(address));
        this.on("connectionAttempt", (address: unknown) => stopIfOffLoopback(address));
        return (original as (...inner: unknown[]) => net.Socket).apply(this, args);
    } as typeof original;
    return {
        hosts,
        refused,
        restore: () => {
            net.Socket.prototype.connect = original;
        },
    };
}

/** Replies with a status, optional headers and a body (JSON-encoded unless a string). */
export function reply(
    response: http.ServerResponse,
    status: number,
    body: unknown = "",
    headers: Record<string, string> = {},
): void {
    const text = typeof body === "string" ? body : JSON.stringify(body);
    const type = typeof body === "string" ? "text/plain" : "application/json";
    response.writeHead(status, { "content-type": type, ...headers });
    response.end(text);
}
