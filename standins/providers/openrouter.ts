/**
 * Fake OpenRouter API keys (`/api/v1/keys`, managed with a management key), the verify call
 * `GET /api/v1/key` and the bot's use call `POST /api/v1/chat/completions`.
 *
 * A key is addressed by its `hash` (here the SHA-256 of the key, 64 hex). `expires_at` is
 * honoured: past it the key gets 401 like a deleted one. Admin requests need
 * `Authorization: Bearer <management key>`: an unknown key gets 401, an inference key 403; the
 * management key cannot be used for inference (403).
 */
import { createHash } from "node:crypto";
import type { IssuedKey, KeyRegister } from "./register";
import type { Clock } from "./clock";
import { isoTime, randomHex } from "./ids";
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

/** Options of the fake OpenRouter. */
export interface FakeOpenRouterOptions extends FakeOptions {
    /** Default: a random `sk-or-v1-` key. */
    managementKey?: string;
}

/** A running fake OpenRouter. */
export interface FakeOpenRouter extends FakeBase {
    readonly admin: { readonly managementKey: string };
    /** Issues an inference key as the web app would. */
    seedKey(name?: string, expiresAt?: number): IssuedKey;
}

/** Operation names of the fake OpenRouter. */
/** Keys per page of the fake's list (the service does not document its own). */
export const OPENROUTER_PAGE_SIZE = 25;

export const OPENROUTER_OPERATIONS = ["create", "list", "get", "revoke", "verify", "use"] as const;

/** OpenRouter's error shape: `{"error": {"code": <status>, "message": "..."}}`. */
export const openRouterDialect: Dialect = {
    error: (status, message) => ({ error: { code: status, message } }),
};

const CREATE_FIELDS = ["name", "limit", "limit_reset", "include_byok_in_limit", "expires_at"];

const newSecret = () => `sk-or-v1-${randomHex(32)}`;

function issueKey(
    register: KeyRegister,
    clock: Clock,
    name: string,
    extra: Record<string, unknown> = {},
    expiresAt?: number,
): IssuedKey {
    const secret = newSecret();
    const id = createHash("sha256").update(secret).digest("hex");
    const attributes = {
        limit: null,
        limit_reset: null,
        include_byok_in_limit: false,
        ...extra,
        created_at: isoTime(clock.now()),
    };
    return register.issue({ id, secret, name, expiresAt, attributes });
}

function describe(register: KeyRegister, key: IssuedKey) {
    const a = key.attributes;
    return {
        hash: key.id,
        name: key.name,
        label: key.name,
        disabled: false,
        limit: a.limit,
        limit_remaining: a.limit,
        limit_reset: a.limit_reset,
        include_byok_in_limit: a.include_byok_in_limit,
        usage: 0,
        usage_daily: 0,
        usage_weekly: 0,
        usage_monthly: 0,
        created_at: a.created_at,
        updated_at: null,
        expires_at: key.expiresAt === undefined ? null : isoTime(key.expiresAt),
        expired: register.stateOf(key) === "expired",
    };
}

/** Starts a fake OpenRouter on 127.0.0.1. */
export async function startFakeOpenRouter(
    options: FakeOpenRouterOptions = {},
): Promise<FakeOpenRouter> {
    const managementKey = options.managementKey ?? newSecret();
    const base = await startFake(options, {
        name: "openrouter",
        dialect: openRouterDialect,
        operations: OPENROUTER_OPERATIONS,
        routes: ({ register, clock }) => openRouterRoutes(register, clock, managementKey),
    });
    return {
        ...base,
        admin: { managementKey },
        seedKey: (name = "bot-key", expiresAt) =>
            issueKey(base.register, base.clock, name, {}, expiresAt),
    };
}

function openRouterRoutes(register: KeyRegister, clock: Clock, managementKey: string): Route[] {
    const inferenceKey = (req: FakeRequest) => {
        const key = register.authenticate(bearerToken(req));
        if (key) return key;
        if (bearerToken(req) === managementKey) {
            throw new ProviderError(403, "A management key cannot be used for this request.");
        }
        throw new ProviderError(401, "User not found.");
    };
    const requireAdmin = (req: FakeRequest) => {
        if (bearerToken(req) === managementKey) return;
        inferenceKey(req);
        throw new ProviderError(403, "Only a management key can manage API keys.");
    };
    const existing = (req: FakeRequest) => {
        const key = register.find(req.params.hash);
        if (!key || key.revokedAt !== undefined) throw new ProviderError(404, "Key not found.");
        return key;
    };
    return [
        route("POST", "/api/v1/keys", "create", (req) => {
            requireAdmin(req);
            const body = jsonObject(req);
            rejectUnknownFields(body, CREATE_FIELDS);
            const name = requireString(body, "name");
            if (body.limit !== undefined && body.limit !== null && typeof body.limit !== "number") {
                throw new ProviderError(400, "`limit` must be a number of credits or null.");
            }
            const expiresAt = optionalTimestamp(body, "expires_at");
            if (expiresAt !== undefined && expiresAt <= clock.now()) {
                throw new ProviderError(400, "`expires_at` must be in the future.");
            }
            const { name: _name, expires_at: _expiresAt, ...extra } = body;
            const key = issueKey(register, clock, name, extra, expiresAt);
            const reply = { data: describe(register, key), key: key.secret };
            return { status: 201, body: reply, secret: key.secret };
        }),
        route("GET", "/api/v1/keys", "list", (req) => {
            requireAdmin(req);
            // The service pages by `offset` without saying its page size; this fake serves
            // pages of OPENROUTER_PAGE_SIZE keys, so that lists longer than one page are tested.
            const offset = Math.max(0, Number(req.query.get("offset") ?? 0));
            const data = register
                .existing()
                .slice(offset, offset + OPENROUTER_PAGE_SIZE)
                .map((k) => describe(register, k));
            return { status: 200, body: { data } };
        }),
        route("GET", "/api/v1/keys/{hash}", "get", (req) => {
            requireAdmin(req);
            return { status: 200, body: { data: describe(register, existing(req)) } };
        }),
        route("DELETE", "/api/v1/keys/{hash}", "revoke", (req) => {
            requireAdmin(req);
            register.revoke(existing(req).id);
            return { status: 200, body: { deleted: true } };
        }),
        route("GET", "/api/v1/key", "verify", (req) => {
            const token = bearerToken(req);
            const key = token === managementKey ? undefined : inferenceKey(req);
            const limit = key ? key.attributes.limit : null;
            return {
                status: 200,
                body: {
                    data: {
                        label: key?.name ?? "management",
                        limit,
                        usage: 0,
                        is_free_tier: false,
                        limit_remaining: limit,
                        is_provisioning_key: key === undefined,
                        expires_at: key?.expiresAt === undefined ? null : isoTime(key.expiresAt),
                    },
                },
            };
        }),
        route("POST", "/api/v1/chat/completions", "use", (req) => {
            inferenceKey(req);
            const body = jsonObject(req);
            const model = requireString(body, "model");
            if (!Array.isArray(body.messages) || body.messages.length === 0) {
                throw new ProviderError(400, "`messages` must be a non-empty array.");
            }
            const choices = [{ index: 0, message: { role: "assistant", content: "ok" } }];
            return { status: 200, body: { id: `gen-${randomHex(12)}`, model, choices } };
        }),
    ];
}
