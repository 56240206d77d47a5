/**
 * Serves the rotator function on 127.0.0.1 through the Functions Framework's own server (the
 * same Express stack Cloud Functions runs it in), so that tests and the sandbox speak real HTTP to
 * it, with the framework's body parsing and error handling.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

/** The handler shape the framework calls. */
export type HttpHandler = (req: any, res: any) => unknown;

/** A running function server. */
export interface ServedFunction {
    /** Base URL, e.g. http://127.0.0.1:41234 */
    url: string;
    stop(): Promise<void>;
}

let served = 0;

/** Starts the Functions Framework server for `handler` on 127.0.0.1 (port 0 = any free port). */
export async function serveFunction(handler: HttpHandler, port = 0): Promise<ServedFunction> {
    // The framework's public way to get its server for a function: register it, then ask the
    // testing entry for the server (not yet listening). Names are unique per call.
    type Framework = typeof import("@google-cloud/functions-framework");
    const framework = require("@google-cloud/functions-framework") as Framework;
    const { getTestServer } = require("@google-cloud/functions-framework/testing") as {
        getTestServer(name: string): Server;
    };
    const name = `keywarden-${++served}`;
    framework.http(name, handler);
    const server = getTestServer(name);
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, "127.0.0.1", () => resolve());
    });
    const { port: bound } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${bound}`,
        stop: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections?.();
                server.close(() => resolve());
            }),
    };
}
