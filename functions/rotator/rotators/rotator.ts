/**
 * What the rotation protocol needs from a provider, whatever the provider is.
 *
 * The protocol (functions/rotator/protocol) owns locking, state, publishing and retiring; a
 * rotator only talks to the provider. Every method must be safe to call again after a crash
 * or a timeout, because the protocol repeats steps it cannot prove finished.
 */

/** A key the provider just issued. `secret` is key material: it goes to Secret Manager only. */
export interface IssuedKey {
    /** The provider's ID for the key: what revoke takes. Safe to log. */
    keyId: string;
    /** The key itself. Never logged, never in an error, never in state. */
    secret: string;
    /** When the provider will stop accepting it, where the provider enforces an expiry. */
    expiresAt?: Date;
}

/** What the protocol asks for when it needs a new key. */
export interface KeyRequest {
    /**
     * Recognisable name with the attempt ID, e.g. "keywarden-weather-bot-a1b2c3", for orphan hunts.
     */
    keyName: string;
    /** The attempt this key belongs to. */
    attemptId: string;
    /** Provider-side expiry to request, where the API has one. */
    expiresAt?: Date;
}

/** Result of a revoke: gone now, or was already gone (a repeat after a crash). */
export type RevokeOutcome = "revoked" | "already-revoked";

/** A provider whose keys can be created and revoked by API. */
export interface Rotator {
    /** The provider's name in messages ("SendGrid"). */
    readonly label: string;
    /** Whether `create` honours `KeyRequest.expiresAt`. */
    readonly supportsExpiry: boolean;
    /** Whether `findByName` can look orphans up; when false, an orphan without a recorded key ID
     * is reported in an alert instead. */
    readonly canFindByName: boolean;
    /** Whether `revoke` calls the provider. False where old keys die on their own (OAuth access
     * tokens): retiring then only disables the old version. */
    readonly revokes: boolean;
    /** Creates a key. Must not return before the provider has confirmed it. */
    create(request: KeyRequest): Promise<IssuedKey>;
    /** Checks the key with the key itself (not with the admin credential); throws `RotatorError`
     * with code `key-rejected` when the provider refuses it. */
    verify(key: IssuedKey): Promise<void>;
    /** Revokes a key by ID. Revoking a key that is already gone is a success. */
    revoke(keyId: string): Promise<RevokeOutcome>;
    /** IDs of keys whose name is exactly `keyName`. Only called when `canFindByName`. */
    findByName(keyName: string): Promise<string[]>;
}

/** A key that can only be replaced by a person: the function tracks age and checks it. */
export interface KeyChecker {
    /** The provider's name in messages ("Telegram"). */
    readonly label: string;
    /** Throws `RotatorError` with code `key-rejected` when the provider refuses the key. */
    verify(secret: string): Promise<void>;
}

/** Why a provider call failed, in words the protocol can act on. */
export type RotatorErrorCode =
    /** The provider refused the key being checked: do not publish it. */
    | "key-rejected"
    /** The provider refused the admin credential: a person must fix the admin secret. */
    | "admin-rejected"
    /** The provider answered in a shape the rotator does not understand. */
    | "bad-response"
    /** A limit (key count, rate) stops the call; retrying later may work. */
    | "limit"
    /** Any other failure of the call (network, 5xx after retries). */
    | "provider-error"
    /** Something only a person can fix (a consumed refresh token). */
    | "needs-human";

/**
 * A failed provider call. The message names the provider, the operation and the HTTP status,
 * and says what to do; it never holds a key, a credential or a response body.
 */
export class RotatorError extends Error {
    constructor(
        readonly code: RotatorErrorCode,
        message: string,
        /** HTTP status, when there was one. */
        readonly status?: number,
    ) {
        super(message);
        this.name = "RotatorError";
    }
}

/**
 * The admin credential of a provider, read from its Secret Manager secret when needed.
 * `replace` adds a new version: only the OAuth rotator uses it, to store the next refresh token
 * before the access token is published.
 */
export interface AdminCredential {
    read(): Promise<string>;
    replace(value: string): Promise<void>;
}

/**
 * The outbound HTTP a rotator may use. Production passes the guarded client of
 * functions/rotator/net (HTTPS only, no private addresses, retries); tests may allow loopback.
 */
export interface HttpTransport {
    request(request: TransportRequest): Promise<TransportResponse>;
}

/** One request through `HttpTransport`. */
export interface TransportRequest {
    method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
    url: string;
    headers?: Record<string, string>;
    json?: unknown;
    form?: Record<string, string>;
    basicAuth?: { username: string; password: string };
    /** False for creates: a create is only retried where the provider cannot have acted. */
    idempotent: boolean;
    /** The only host the credentials of this request may go to. */
    credentialHost?: string;
    /** Strings that must never appear in an error (credentials, keys). */
    secrets?: string[];
}

/** The provider's answer. Non-2xx statuses are returned, not thrown. */
export interface TransportResponse {
    status: number;
    headers: Record<string, string>;
    /** Parsed JSON when the body is JSON, else the text. May hold live keys: never log it. */
    body: unknown;
}

/** What every rotator is built with. */
export interface RotatorDeps {
    http: HttpTransport;
    /** Present when the policy names an admin secret. */
    admin?: AdminCredential;
    /** An OAuth access token of the function's own service account (API Keys API). */
    googleAccessToken: () => Promise<string>;
    now: () => Date;
}
