/**
 * The function's HTTP answers: JSON bodies, and refusals that say what was wrong and change
 * nothing. Every refusal is logged as `request.rejected` with the status and the reason only.
 */
import { logEvent } from "../log";

/** The part of the Express response the function uses. */
export interface Reply {
    status(code: number): Reply;
    set(field: string, value: string): Reply;
    json(body: unknown): void;
}

/** The part of the Express request the function uses. */
export interface Incoming {
    method: string;
    path: string;
    headers: Record<string, string | string[] | undefined>;
    /** The body as received (set by the Functions Framework). */
    rawBody?: Buffer;
    body?: unknown;
}

/** A request the function refuses, with the status to answer. */
export class Refusal extends Error {
    constructor(
        readonly status: number,
        message: string,
    ) {
        super(message);
        this.name = "Refusal";
    }
}

/** Answers a refusal as `{"error": "..."}` and logs it. */
export function refuse(req: Incoming, res: Reply, refusal: Refusal) {
    logEvent("WARNING", "request.rejected", `${req.method} ${req.path}: ${refusal.message}`, {
        status: refusal.status,
        path: req.path,
    });
    res.status(refusal.status).json({ error: refusal.message });
}

/** A header's single value. */
export function header(req: Incoming, name: string): string | undefined {
    const value = req.headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
}
