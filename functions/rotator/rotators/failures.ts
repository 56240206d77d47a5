/**
 * Turning provider answers into `RotatorError`s, the same way for every rotator.
 *
 * A message names the provider, the operation and the HTTP status, and says what to do. It is
 * built from those three facts only: never from a response body (several key APIs echo live
 * keys) and never from a request. Errors thrown by the transport are passed through
 * `redact` before their text is reused.
 */
import { RotatorError, RotatorErrorCode } from "./rotator";

/** Which credential a call carried: decides what a 401 or 403 means. */
export type CallerRole = "admin" | "key";

/** True for a 2xx status, or for one of `okStatus` when the spec lists them. */
export function isOk(status: number, okStatus?: number[]): boolean {
    if (okStatus && okStatus.length > 0) return okStatus.includes(status);
    return status >= 200 && status < 300;
}

/**
 * The error for a non-success status. 401 and 403 blame the credential the call carried; 429
 * is a limit; 5xx a provider failure; any other status points at the rotator config.
 */
export function statusFailure(
    label: string,
    operation: string,
    status: number,
    role: CallerRole,
): RotatorError {
    const what = `${label} ${operation} answered HTTP ${status}`;
    if ((status === 401 || status === 403) && role === "admin") {
        return new RotatorError(
            "admin-rejected",
            `${what}: the admin credential was refused; ` +
                "check that the admin secret holds a current credential allowed to manage keys" +
                (status === 403 ? " (a 403 can also mean the account's key limit is reached)" : ""),
            status,
        );
    }
    if (status === 401 || status === 403) {
        return new RotatorError(
            "key-rejected",
            `${what}: the provider refused the key ` +
                "(check the scopes or permissions it was given)",
            status,
        );
    }
    if (status === 429) {
        return new RotatorError(
            "limit",
            `${what}: rate limited; the next tick tries again`,
            status,
        );
    }
    if (status >= 500) {
        return new RotatorError(
            "provider-error",
            `${what}: the provider failed; the next tick ` +
                "tries again, and a lasting failure needs the provider's status page",
            status,
        );
    }
    return new RotatorError(
        "provider-error",
        `${what}: the request was refused; check the ` +
            "rotator config (URLs, params, body) against the provider's API reference",
        status,
    );
}

/** The error for a success status whose body lacks what the operation needs. */
export function badResponse(
    label: string,
    operation: string,
    status: number,
    missing: string,
    afterCreate: boolean,
): RotatorError {
    const tail = afterCreate
        ? ": the key may exist at the provider; it will be looked up by its name and revoked"
        : ": check the rotator's response paths against the provider's API reference";
    return new RotatorError(
        "bad-response",
        `${label} ${operation} answered HTTP ${status} ` + `without ${missing}${tail}`,
        status,
    );
}

/**
 * An error a transport throws when it could not get an answer, with the `RotatorError` code it
 * amounts to (a refused URL is a config problem, a rate limit is a limit, a timeout a failure).
 * Its message must already be free of secrets; it is redacted again anyway.
 */
export class TransportError extends Error {
    constructor(
        readonly code: RotatorErrorCode,
        message: string,
        /** The last HTTP status seen, when there was one. */
        readonly status?: number,
    ) {
        super(message);
        this.name = "TransportError";
    }
}

/**
 * Wraps an error thrown while calling the provider (network, refused address, timeout).
 * `RotatorError`s pass through; a `TransportError` keeps its code; anything else is a
 * `provider-error`. The cause's text is kept, with every secret the call carried cut out,
 * because it usually says what went wrong (DNS, TLS, a blocked host).
 */
export function transportFailure(
    label: string,
    operation: string,
    cause: unknown,
    secrets: string[],
): RotatorError {
    if (cause instanceof RotatorError) return cause;
    const text = redact(cause instanceof Error ? cause.message : String(cause), secrets);
    const code = cause instanceof TransportError ? cause.code : "provider-error";
    const status = cause instanceof TransportError ? cause.status : undefined;
    // A transport's message already says what to do; a bare error does not.
    const next = cause instanceof TransportError ? "" : "; the next tick tries again";
    return new RotatorError(
        code,
        `${label} ${operation} got no usable answer: ${text}${next}`,
        status,
    );
}

/** `text` with every occurrence of each secret (and of its URL-encoded form) replaced. */
export function redact(text: string, secrets: string[]): string {
    let out = text;
    const forms = secrets.flatMap((secret) => [secret, encodeURIComponent(secret)]);
    // Longest first, so that a secret containing another is cut out whole.
    for (const secret of forms.filter((s) => s.length >= 4).sort((a, b) => b.length - a.length)) {
        out = out.split(secret).join("[redacted]");
    }
    return out;
}

/** Calls `send`, turning anything it throws into a `RotatorError` via `transportFailure`. */
export async function guarded<T>(
    label: string,
    operation: string,
    secrets: string[],
    send: () => Promise<T>,
): Promise<T> {
    try {
        return await send();
    } catch (cause) {
        throw transportFailure(label, operation, cause, secrets);
    }
}
