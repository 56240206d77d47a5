/**
 * A fake of a bot's own backend API, for rotating keys the bot's team issues itself. It has no
 * real counterpart to match, so its shape is the simplest REST design, documented here:
 *
 * - Admin auth: `Authorization: Bearer <admin token>` (unknown: 401; a bot key: 403).
 * - `POST /v1/api-keys` JSON `{"name": string <= 100 chars, "expires_at"?: RFC 3339}` -> 201
 *   `{"id": "key_<hex>", "name", "key": "bk_live_...", "created_at", "expires_at": string|null}`.
 * - `GET /v1/api-keys` -> 200 `{"keys": [{id, name, created_at, expires_at}]}` (no key values).
 * - `DELETE /v1/api-keys/{id}` -> 204; 404 for an unknown or deleted key.
 * - Verify: `GET /v1/whoami` with `Authorization: Bearer <key>` -> 200 `{"key_id", "name"}`.
 * - Use: `GET /v1/data` with the key -> 200 `{"items": [...]}`.
 * - Errors: `{"error": {"code": "<snake_case>", "message": "..."}}`; keys past `expires_at` get
 *   401 like deleted ones.
 */
import type { IssuedKey, KeyRegister } from "./register";
import type { Clock } from "./clock";
import { isoTime, randomChars, randomHex } from "./ids";
import {
    ProviderError,
    bearerToken,
    jsonObject,
    optionalTimestamp,
    rejectUnknownFields,
    requireString,
    route,
    type Dialect,
    type FakeRequest,
    type Route,
} from "./routing";
import { startFake, type FakeBase, type FakeOptions } from "./server";

/** Options of the fake bot backend. */
export interface FakeBotBackendOptions extends FakeOptions {
    /** Default: `bk_admin_` + random. */
    adminToken?: string;
}

/** A running fake bot backend. */
export interface FakeBotBackend extends FakeBase {
    readonly admin: { readonly token: string };
    /** Issues a key as the backend's operators would by hand. */
    seedKey(name?: string, expiresAt?: number): IssuedKey;
}

/** Operation names of the fake bot backend. */
export const BOT_BACKEND_OPERATIONS = ["create", "list", "revoke", "verify", "use"] as const;

const CODES: Record<number, string> = {
    400: "invalid_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    415: "unsupported_media_type",
    429: "rate_limited",
};

/** The backend's error shape: `{"error": {"code", "message"}}`. */
export const botBackendDialect: Dialect = {
    error: (status, message) => ({
        error: { code: CODES[status] ?? (status >= 500 ? "server_error" : "error"), message },
    }),
};

function issueKey(register: KeyRegister, name: string, expiresAt?: number): IssuedKey {
    return register.issue({
        id: `key_${randomHex(8)}`,
        secret: `bk_live_${randomChars(40)}`,
        name,
        expiresAt,
    });
}

function describe(key: IssuedKey) {
    return {
        id: key.id,
        name: key.name,
        created_at: isoTime(key.createdAt),
        expires_at: key.expiresAt === undefined ? null : isoTime(key.expiresAt),
    };
}

/** Starts a fake bot backend on 127.0.0.1. */
export async function startFakeBotBackend(
    options: FakeBotBackendOptions = {},
): Promise<FakeBotBackend> {
    const token = options.adminToken ?? `bk_admin_${randomChars(40)}`;
    const base = await startFake(options, {
        name: "bot-backend",
        dialect: botBackendDialect,
        operations: BOT_BACKEND_OPERATIONS,
        routes: ({ register, clock }) => botBackendRoutes(register, clock, token),
    });
    return {
        ...base,
        admin: { token },
        seedKey: (name = "bot-key", expiresAt) => issueKey(base.register, name, expiresAt),
    };
}

function botBackendRoutes(register: KeyRegister, clock: Clock, adminToken: string): Route[] {
    const botKey = (req: FakeRequest) => {
        const key = register.authenticate(bearerToken(req));
        if (!key) throw new ProviderError(401, "Send a valid API key as a Bearer token.");
        return key;
    };
    const requireAdmin = (req: FakeRequest) => {
        if (bearerToken(req) === adminToken) return;
        botKey(req);
        throw new ProviderError(403, "This endpoint needs the admin token, not a bot key.");
    };
    return [
        route("POST", "/v1/api-keys", "create", (req) => {
            requireAdmin(req);
            const body = jsonObject(req);
            rejectUnknownFields(body, ["name", "expires_at"]);
            const name = requireString(body, "name", 100);
            const expiresAt = optionalTimestamp(body, "expires_at");
            if (expiresAt !== undefined && expiresAt <= clock.now()) {
                throw new ProviderError(400, "`expires_at` must be in the future.");
            }
            const key = issueKey(register, name, expiresAt);
            return { status: 201, body: { ...describe(key), key: key.secret }, secret: key.secret };
        }),
        route("GET", "/v1/api-keys", "list", (req) => {
            requireAdmin(req);
            return { status: 200, body: { keys: register.existing().map(describe) } };
        }),
        route("DELETE", "/v1/api-keys/{id}", "revoke", (req) => {
            requireAdmin(req);
            if (!register.revoke(req.params.id)) {
                throw new ProviderError(404, "No API key has this ID; list the keys to find it.");
            }
            return { status: 204 };
        }),
        route("GET", "/v1/whoami", "verify", (req) => {
            const key = botKey(req);
            return { status: 200, body: { key_id: key.id, name: key.name } };
        }),
        route("GET", "/v1/data", "use", (req) => {
            botKey(req);
            return { status: 200, body: { items: [{ id: 1, value: "ok" }] } };
        }),
    ];
}
