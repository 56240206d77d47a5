/**
 * Parsing of request bodies. The Functions Framework has already parsed JSON leniently; the
 * function reads the raw bytes itself so that it can answer each malformed body with a precise
 * message (and so that a body is never echoed back: it may hold a key pasted by mistake).
 */
import { header, Incoming, Refusal } from "./respond";

/** Largest body the function accepts; every legitimate request is a few hundred bytes. */
export const MAX_BODY_BYTES = 64 * 1024;

/** The raw body bytes, refusing oversize ones. */
export function rawBody(req: Incoming): Buffer {
    const raw =
        req.rawBody ?? (typeof req.body === "string" ? Buffer.from(req.body) : Buffer.alloc(0));
    if (raw.length > MAX_BODY_BYTES) {
        throw new Refusal(413, `the body is ${raw.length} bytes; the limit is ${MAX_BODY_BYTES}`);
    }
    return raw;
}

/** A JSON object body, with content type checked. An empty body is `{}` when `optional`. */
export function jsonObject(req: Incoming, optional: boolean): Record<string, unknown> {
    const raw = rawBody(req);
    // Without a content type the framework leaves the body unread: it is not empty, just untyped.
    const declared =
        Number(header(req, "content-length") ?? 0) > 0 ||
        header(req, "transfer-encoding") !== undefined;
    if (raw.length === 0 && !declared) {
        if (optional) return {};
        throw new Refusal(
            400,
            'the body is empty: send a JSON object such as {"secret": "weather-api-key"}',
        );
    }
    const type = (header(req, "content-type") ?? "").split(";")[0].trim().toLowerCase();
    if (type !== "application/json") {
        throw new Refusal(
            415,
            `the content type is "${type || "missing"}": send the body as application/json`,
        );
    }
    let value: unknown;
    try {
        value = JSON.parse(raw.toString("utf8"));
    } catch {
        throw new Refusal(400, "the body is not valid JSON");
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        throw new Refusal(400, "the body must be a JSON object");
    }
    return value as Record<string, unknown>;
}

/** Refuses fields a route does not know, so that a typo (e.g. "forse") is not silently ignored. */
export function onlyFields(body: Record<string, unknown>, allowed: string[]) {
    const unknown = Object.keys(body).filter((field) => !allowed.includes(field));
    if (unknown.length > 0) {
        throw new Refusal(
            400,
            `unknown field${unknown.length > 1 ? "s" : ""} ` +
                `${unknown.map((f) => `"${f.slice(0, 40)}"`).join(", ")}: ` +
                `this route takes ${allowed.map((f) => `"${f}"`).join(" and ")}`,
        );
    }
}
