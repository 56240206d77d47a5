/**
 * Records every TCP connection this process tries to open: the evidence that a refused outbound
 * request never left, because no socket reached, or even tried, an address other than loopback.
 *
 * Node 20 publishes no diagnostics channel for TLS client sockets, so the recorder wraps
 * `net.Socket.prototype.connect`, which every client socket (http, https, gRPC, fetch) goes
 * through, for as long as it watches.
 */
import * as net from "node:net";

/** What became of one connection attempt. */
export interface SocketFate {
    /** The host (name or IP literal) the socket was asked to connect to. */
    host: string;
    /** `connected` to `address`; `refused` by its DNS lookup; otherwise it closed without
     * connecting, or is still trying. */
    outcome: "connected" | "refused" | "closed" | "open";
    address?: string;
}

/** The connection attempts seen while watching. */
export interface ConnectionLog {
    sockets(): SocketFate[];
    stop(): void;
}

/** Starts recording; call `stop()` when done (it puts `connect` back). */
export function watchConnections(): ConnectionLog {
    const fates: SocketFate[] = [];
    const original = net.Socket.prototype.connect;
    net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
        const fate: SocketFate = { host: hostOf(args), outcome: "open" };
        fates.push(fate);
        this.once("connect", () => {
            Object.assign(fate, { outcome: "connected", address: this.remoteAddress });
        });
        this.once("lookup", (error: Error | null) => {
            if (error) fate.outcome = "refused";
        });
        this.once("close", () => {
            if (fate.outcome === "open") fate.outcome = "closed";
        });
        return (original as (...a: unknown[]) => net.Socket).apply(this, args);
    } as typeof original;
    return {
        sockets: () => fates.map((fate) => ({ ...fate })),
        stop: () => {
            net.Socket.prototype.connect = original;
        },
    };
}

/** The host of `connect(options)`, `connect(port, host)` or Node's normalised `[options, cb]`. */
function hostOf(args: unknown[]): string {
    const first = Array.isArray(args[0]) ? args[0][0] : args[0];
    if (typeof first === "object" && first !== null) {
        const options = first as { host?: string; path?: string };
        return options.path ? `unix:${options.path}` : (options.host ?? "localhost");
    }
    return typeof args[1] === "string" ? args[1] : "localhost";
}
