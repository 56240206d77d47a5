/**
 * Calling the API Keys API v2 over REST with the function's own OAuth token, and waiting for
 * its long-running operations (CreateKey and DeleteKey both return one).
 */
import { createHash } from "node:crypto";
import { guarded, isOk, statusFailure } from "./failures";
import { RotatorDeps, RotatorError, TransportRequest, TransportResponse } from "./rotator";

/** The provider's name in messages. */
export const GOOGLE_LABEL = "Google API Keys";

/** Delays between polls of an operation, in ms: about 24 s in all, then the rotator gives up. */
export const DEFAULT_POLL_DELAYS_MS = [250, 500, 1000, 2000, 4000, 8000, 8000];

/** A google.longrunning.Operation as REST returns it. */
export interface Operation {
    name?: string;
    done?: boolean;
    response?: Record<string, unknown>;
    error?: { code?: number; message?: string };
}

/** Sends requests to one API Keys endpoint with a bearer token pinned to its host. */
export class GoogleRest {
    private readonly host: string;

    constructor(
        readonly endpoint: string,
        private readonly deps: RotatorDeps,
        private readonly pollDelaysMs: number[],
    ) {
        this.host = new URL(endpoint).hostname;
    }

    /** Sends one call; `extraSecrets` (a key string in the query) are redacted from errors. */
    async send(
        operation: string,
        method: TransportRequest["method"],
        path: string,
        options: { json?: unknown; idempotent?: boolean; extraSecrets?: string[] } = {},
    ): Promise<TransportResponse> {
        const token = await this.token(operation);
        const secrets = [token, ...(options.extraSecrets ?? [])];
        return guarded(GOOGLE_LABEL, operation, secrets, () =>
            this.deps.http.request({
                method,
                url: `${this.endpoint}${path}`,
                headers: { Authorization: `Bearer ${token}` },
                json: options.json,
                idempotent: options.idempotent ?? method !== "POST",
                credentialHost: this.host,
                secrets,
            }),
        );
    }

    /** Sends a call and fails unless it answers 2xx; returns the JSON body. */
    async expectOk(
        operation: string,
        method: TransportRequest["method"],
        path: string,
        options: { json?: unknown; idempotent?: boolean } = {},
    ): Promise<Record<string, unknown>> {
        const response = await this.send(operation, method, path, options);
        if (!isOk(response.status)) throw googleFailure(operation, response.status);
        return asObject(response.body);
    }

    /**
     * Polls an operation until it is done, with growing pauses. Throws `provider-error` when it
     * is still running after the last pause, and maps an operation error by its gRPC code.
     */
    async waitFor(operation: string, started: Operation): Promise<Operation> {
        let current = started;
        for (const delay of this.pollDelaysMs) {
            if (current.done) break;
            if (typeof current.name !== "string" || !/^operations\/[\w.~-]+$/.test(current.name)) {
                throw new RotatorError(
                    "bad-response",
                    `${GOOGLE_LABEL} ${operation} returned an ` +
                        "operation without a usable name: the key may exist; it will be looked " +
                        "up by its name and deleted",
                );
            }
            await new Promise((resolve) => setTimeout(resolve, delay));
            current = await this.expectOk(`${operation} (polling)`, "GET", `/v2/${current.name}`);
        }
        if (!current.done) {
            const totalMs = this.pollDelaysMs.reduce((a, b) => a + b, 0);
            const seconds = Math.max(1, Math.ceil(totalMs / 1000));
            throw new RotatorError(
                "provider-error",
                `${GOOGLE_LABEL} ${operation} did not ` +
                    `finish within ${seconds} s: it may still complete; the next tick looks again`,
            );
        }
        if (current.error) throw operationFailure(operation, current.error.code);
        return current;
    }

    private async token(operation: string): Promise<string> {
        try {
            return await this.deps.googleAccessToken();
        } catch {
            throw new RotatorError(
                "admin-rejected",
                `${GOOGLE_LABEL} ${operation}: the function ` +
                    "could not get an access token for its service account; check that it runs " +
                    "with one",
            );
        }
    }
}

/** The JSON object of a body, or an empty object when it is anything else. */
export function asObject(body: unknown): Record<string, unknown> {
    return body !== null && typeof body === "object" && !Array.isArray(body)
        ? (body as Record<string, unknown>)
        : {};
}

/**
 * A valid API Keys key ID for a key name: lowercase letters, digits and dashes, starting with
 * a letter, at most 63 characters. Names that must be shortened keep a hash of the whole name,
 * so two attempts never share an ID.
 */
export function apiKeyIdFor(keyName: string): string {
    let id = keyName
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, "-")
        .replace(/-+/g, "-")
        .replace(/^-+|-+$/g, "");
    if (!/^[a-z]/.test(id)) id = `k-${id}`.replace(/-+$/, "");
    if (id.length > 63) {
        const hash = createHash("sha256").update(keyName).digest("hex").slice(0, 8);
        id = `${id.slice(0, 54).replace(/-+$/, "")}-${hash}`;
    }
    return id;
}

/**
 * The error for a non-success answer to a call made with the function's own token: 401 and 403
 * are a missing role, not a wrong admin secret (there is none).
 */
export function googleFailure(operation: string, status: number): RotatorError {
    if (status === 401 || status === 403) {
        return new RotatorError(
            "admin-rejected",
            `${GOOGLE_LABEL} ${operation} answered HTTP ` +
                `${status}: the function's service account was refused; grant it ` +
                "roles/serviceusage.apiKeysAdmin on the project, and check the project ID",
            status,
        );
    }
    return statusFailure(GOOGLE_LABEL, operation, status, "admin");
}

/** The error for a finished operation that failed, by its google.rpc code. */
function operationFailure(operation: string, code: number | undefined): RotatorError {
    const what = `${GOOGLE_LABEL} ${operation} failed (operation error code ${code ?? "unknown"})`;
    switch (code) {
        case 7: // PERMISSION_DENIED
        case 16: // UNAUTHENTICATED
            return new RotatorError(
                "admin-rejected",
                `${what}: grant the function's service ` +
                    "account roles/serviceusage.apiKeysAdmin on the project",
            );
        case 8: // RESOURCE_EXHAUSTED
            return new RotatorError(
                "limit",
                `${what}: a quota is exhausted; the next tick tries ` + "again",
            );
        default:
            return new RotatorError("provider-error", `${what}: the next tick tries again`);
    }
}
