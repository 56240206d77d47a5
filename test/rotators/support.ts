/**
 * Shared parts of the rotator tests: the real outbound client (loopback allowed, fast retries)
 * behind the rotators' transport, a recorder of what rotators asked the transport to send, an
 * in-memory admin credential, and an assertion for `RotatorError`s that also checks that the
 * message holds none of the secrets in play.
 */
import * as assert from "node:assert/strict";
import { setLogSink, type LogSink } from "../../functions/rotator/log";
import { OutboundClient, type Resolver } from "../../functions/rotator/net";
import { outboundTransport } from "../../functions/rotator/rotators/outbound-transport";
import {
    AdminCredential,
    HttpTransport,
    RotatorDeps,
    RotatorError,
    RotatorErrorCode,
    TransportRequest,
} from "../../functions/rotator/rotators/rotator";

/** The real guarded client, allowed to reach loopback, retrying fast so tests stay quick. */
export function loopbackClient(resolve?: Resolver): OutboundClient {
    return new OutboundClient({
        allowLoopback: true,
        maxAttempts: 2,
        baseBackoffMs: 1,
        maxBackoffMs: 2,
        timeoutMs: 2000,
        maxRetryAfterMs: 1000,
        resolve,
    });
}

/** A resolver that answers every `*.localhost` name with 127.0.0.1 (and nothing else). */
export const localhostNames: Resolver = async (hostname) => {
    if (hostname === "localhost" || hostname.endsWith(".localhost")) {
        return [{ address: "127.0.0.1", family: 4 }];
    }
    throw new Error(`test resolver: ${hostname} is not a .localhost name`);
};

/** A transport that records every request a rotator hands it, then sends it for real. */
export class RecordingTransport implements HttpTransport {
    readonly sent: TransportRequest[] = [];
    private readonly inner: HttpTransport;

    constructor(client: OutboundClient = loopbackClient()) {
        this.inner = outboundTransport(client);
    }

    request(request: TransportRequest) {
        this.sent.push(request);
        return this.inner.request(request);
    }
}

/** An admin credential held in memory; `versions` lists every value stored, oldest first. */
export class MemoryAdmin implements AdminCredential {
    readonly versions: string[];
    /** Set to make the next `replace` calls fail. */
    failReplaces = 0;

    constructor(initial: string) {
        this.versions = [initial];
    }

    async read(): Promise<string> {
        return this.versions[this.versions.length - 1];
    }

    async replace(value: string): Promise<void> {
        if (this.failReplaces > 0) {
            this.failReplaces--;
            throw new Error("the secret store is unavailable");
        }
        this.versions.push(value);
    }
}

/** Rotator dependencies around a transport; the Google token and clock are fixed. */
export function depsWith(
    http: HttpTransport,
    admin?: string | AdminCredential,
    googleToken = "unused-google-token",
): RotatorDeps {
    return {
        http,
        admin: typeof admin === "string" ? new MemoryAdmin(admin) : admin,
        googleAccessToken: async () => googleToken,
        now: () => new Date(Date.UTC(2026, 0, 1)),
    };
}

/**
 * Awaits a promise that must fail with a `RotatorError` of `code`, and checks that its
 * message holds none of `secrets`. Returns the error for further checks.
 */
export async function rejectsWith(
    promise: Promise<unknown>,
    code: RotatorErrorCode,
    secrets: string[],
): Promise<RotatorError> {
    let caught: unknown;
    try {
        await promise;
    } catch (error) {
        caught = error;
    }
    assert.ok(caught instanceof RotatorError, `expected a RotatorError, got ${String(caught)}`);
    assert.equal(caught.code, code, caught.message);
    assertNoSecrets(caught.message, secrets);
    return caught;
}

/** Fails when `text` holds any of `secrets` (raw or percent-encoded). */
export function assertNoSecrets(text: string, secrets: string[]): void {
    for (const secret of secrets.filter((s) => s.length >= 4)) {
        assert.ok(
            !text.includes(secret) && !text.includes(encodeURIComponent(secret)),
            `a secret leaked into: ${text.replace(secret, "<the secret>")}`,
        );
    }
}

/** Captures log lines for the duration of a test file (the net client logs retries). */
export function captureLogs(): { lines: string[]; restore(): void } {
    const lines: string[] = [];
    const previous: LogSink = setLogSink((line) => lines.push(line));
    return { lines, restore: () => setLogSink(previous) };
}
