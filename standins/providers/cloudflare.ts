/**
 * Fake Cloudflare API tokens, user-owned (`/client/v4/user/tokens`) and account-owned
 * (`/client/v4/accounts/{account_id}/tokens`), with `expires_on` and `not_before` honoured,
 * `GET .../tokens/verify`, the roll endpoint `PUT .../tokens/{id}/value` (which kills the old
 * value at once: the reason keywarden never uses it), and the use call `GET /client/v4/zones`.
 *
 * Auth is `Authorization: Bearer <token>`. The error codes are the ones Cloudflare is commonly
 * seen to return, not a documented contract: a missing or malformed header gets 400 (6003), an
 * unknown, expired or revoked token 403 (10000), an issued token used to manage tokens 403
 * (9109), a bad token on verify 401 (1000), an unknown account ID 404 (7003). Owned tokens are
 * capped at `userTokenLimit` (50) and `accountTokenLimit` (500); past that, 400.
 */
import type { IssuedKey, KeyRegister } from "./register";
import type { Clock } from "./clock";
import { isoSeconds, randomHex, randomUrlSafe } from "./ids";
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

/** Options of the fake Cloudflare. */
export interface FakeCloudflareOptions extends FakeOptions {
    /** The account whose tokens live under /accounts/{id}/tokens. Default: random 32 hex. */
    accountId?: string;
    /** The token with API Tokens Write. Default: random. */
    adminToken?: string;
    /** Default: 50. */
    userTokenLimit?: number;
    /** Default: 500. */
    accountTokenLimit?: number;
}

/** Who owns a token: the user, or the account (by its ID). */
export type CloudflareOwner = "user" | { accountId: string };

/** A running fake Cloudflare. */
export interface FakeCloudflare extends FakeBase {
    readonly admin: { readonly token: string; readonly accountId: string };
    /** Issues a token as the dashboard would; user-owned unless `owner` says otherwise. */
    seedKey(name?: string, options?: { owner?: "user" | "account"; expiresAt?: number }): IssuedKey;
}

/** Operation names of the fake Cloudflare. */
export const CLOUDFLARE_OPERATIONS = [
    "create",
    "list",
    "get",
    "revoke",
    "verify",
    "roll",
    "use",
] as const;

const DEFAULT_CODES: Record<number, number> = { 400: 6003, 401: 1000, 403: 10000, 404: 7003 };

/** Cloudflare's envelope: `{"success": false, "errors": [{code, message}], ...}`. */
export const cloudflareDialect: Dialect = {
    error: (status, message, details) => ({
        success: false,
        errors: [{ code: (details?.code as number) ?? DEFAULT_CODES[status] ?? 10000, message }],
        messages: [],
        result: null,
    }),
};

const ok = (result: unknown, extra: Record<string, unknown> = {}) => ({
    status: 200,
    body: { success: true, errors: [], messages: [], result, ...extra },
});

function issueToken(
    register: KeyRegister,
    clock: Clock,
    name: string,
    owner: string,
    extra: { policies?: unknown; expiresAt?: number; notBefore?: number; condition?: unknown },
): IssuedKey {
    return register.issue({
        id: randomHex(16),
        secret: randomUrlSafe(40),
        name,
        expiresAt: extra.expiresAt,
        notBefore: extra.notBefore,
        attributes: {
            owner,
            policies: extra.policies ?? [],
            condition: extra.condition,
            issued_on: isoSeconds(clock.now()),
        },
    });
}

function describe(register: KeyRegister, key: IssuedKey) {
    const state = register.stateOf(key);
    return {
        id: key.id,
        name: key.name,
        status: state === "expired" ? "expired" : "active",
        issued_on: key.attributes.issued_on,
        modified_on: key.attributes.issued_on,
        not_before: key.notBefore === undefined ? undefined : isoSeconds(key.notBefore),
        expires_on: key.expiresAt === undefined ? undefined : isoSeconds(key.expiresAt),
        policies: key.attributes.policies,
        condition: key.attributes.condition,
    };
}

/** Starts a fake Cloudflare on 127.0.0.1. */
export async function startFakeCloudflare(
    options: FakeCloudflareOptions = {},
): Promise<FakeCloudflare> {
    const settings = {
        accountId: options.accountId ?? randomHex(16),
        adminToken: options.adminToken ?? randomUrlSafe(40),
        limits: { user: options.userTokenLimit ?? 50, account: options.accountTokenLimit ?? 500 },
    };
    const base = await startFake(options, {
        name: "cloudflare",
        dialect: cloudflareDialect,
        operations: CLOUDFLARE_OPERATIONS,
        routes: ({ register, clock }) => cloudflareRoutes(register, clock, settings),
    });
    return {
        ...base,
        admin: { token: settings.adminToken, accountId: settings.accountId },
        seedKey: (name = "bot-token", seed = {}) =>
            issueToken(
                base.register,
                base.clock,
                name,
                seed.owner === "account" ? settings.accountId : "user",
                { expiresAt: seed.expiresAt },
            ),
    };
}

interface Settings {
    accountId: string;
    adminToken: string;
    limits: { user: number; account: number };
}

function cloudflareRoutes(register: KeyRegister, clock: Clock, s: Settings): Route[] {
    /** The owner a path addresses; 404 for an account this fake does not know. */
    const ownerOf = (req: FakeRequest) => {
        const account = req.params.account;
        if (account === undefined) return "user";
        if (account !== s.accountId) {
            throw new ProviderError(
                404,
                `Could not route to /accounts/${account}/tokens, ` +
                    "perhaps your object identifier is invalid?",
            );
        }
        return account;
    };
    const requireAdmin = (req: FakeRequest) => {
        const token = bearerToken(req);
        if (token === undefined) throw new ProviderError(400, "Invalid request headers");
        if (token === s.adminToken) return;
        if (register.authenticate(token)) {
            const message = "Unauthorized to access requested resource";
            throw new ProviderError(403, message, { code: 9109 });
        }
        throw new ProviderError(403, "Authentication error");
    };
    const ownedToken = (req: FakeRequest) => {
        const key = register.find(req.params.id);
        if (!key || key.revokedAt !== undefined || key.attributes.owner !== ownerOf(req)) {
            throw new ProviderError(404, "Token not found", { code: 1003 });
        }
        return key;
    };
    const create = (req: FakeRequest) => {
        requireAdmin(req);
        const owner = ownerOf(req);
        const body = jsonObject(req);
        rejectUnknownFields(body, ["name", "policies", "expires_on", "not_before", "condition"]);
        const name = requireString(body, "name", 120);
        const policies = body.policies;
        if (!Array.isArray(policies) || policies.length === 0 || !policies.every(isPolicy)) {
            throw new ProviderError(
                400,
                "`policies` must be a non-empty array of " +
                    "{effect: allow|deny, resources: {...}, permission_groups: [{id}]}.",
            );
        }
        const expiresAt = optionalTimestamp(body, "expires_on");
        if (expiresAt !== undefined && expiresAt <= clock.now()) {
            throw new ProviderError(400, "`expires_on` must be in the future.");
        }
        const limit = owner === "user" ? s.limits.user : s.limits.account;
        const owned = register.existing().filter((k) => k.attributes.owner === owner).length;
        if (owned >= limit) {
            throw new ProviderError(
                400,
                `This owner already has ${limit} API tokens, the most ` +
                    "allowed; delete unused tokens first.",
                { code: 1005 },
            );
        }
        const key = issueToken(register, clock, name, owner, {
            policies,
            expiresAt,
            notBefore: optionalTimestamp(body, "not_before"),
            condition: body.condition,
        });
        return { ...ok({ ...describe(register, key), value: key.secret }), secret: key.secret };
    };
    const routes: Route[] = [
        route("GET", "/client/v4/zones", "use", (req) => {
            if (bearerToken(req) === undefined)
                throw new ProviderError(400, "Invalid request headers");
            if (!register.authenticate(bearerToken(req))) {
                throw new ProviderError(403, "Authentication error");
            }
            return ok([], { result_info: { page: 1, per_page: 20, count: 0, total_count: 0 } });
        }),
    ];
    for (const prefix of ["/client/v4/user/tokens", "/client/v4/accounts/{account}/tokens"]) {
        routes.push(
            route("GET", `${prefix}/verify`, "verify", (req) => {
                const key = register.authenticate(bearerToken(req));
                if (!key || key.attributes.owner !== ownerOf(req)) {
                    throw new ProviderError(401, "Invalid API Token", { code: 1000 });
                }
                const { id, status, not_before, expires_on } = describe(register, key);
                return ok(
                    { id, status, not_before, expires_on },
                    {
                        messages: [{ code: 10000, message: "This API Token is valid and active" }],
                    },
                );
            }),
            route("POST", prefix, "create", create),
            route("GET", prefix, "list", (req) => {
                requireAdmin(req);
                const owner = ownerOf(req);
                const owned = register.existing().filter((k) => k.attributes.owner === owner);
                // Pages as the service does: `per_page` 5 to 50 (default 20), `page` from 1.
                const perPage = Math.min(50, Math.max(5, Number(req.query.get("per_page") ?? 20)));
                const page = Math.max(1, Number(req.query.get("page") ?? 1));
                const shown = owned.slice((page - 1) * perPage, page * perPage);
                const info = {
                    page,
                    per_page: perPage,
                    count: shown.length,
                    total_count: owned.length,
                    total_pages: Math.ceil(owned.length / perPage),
                };
                return ok(
                    shown.map((k) => describe(register, k)),
                    { result_info: info },
                );
            }),
            route("GET", `${prefix}/{id}`, "get", (req) => {
                requireAdmin(req);
                return ok(describe(register, ownedToken(req)));
            }),
            route("DELETE", `${prefix}/{id}`, "revoke", (req) => {
                requireAdmin(req);
                return ok({ id: register.revoke(ownedToken(req).id)!.id });
            }),
            route("PUT", `${prefix}/{id}/value`, "roll", (req) => {
                requireAdmin(req);
                const key = ownedToken(req);
                rejectUnknownFields(jsonObject(req), []);
                const rolled = register.roll(key.id, randomUrlSafe(40))!;
                return { ...ok(rolled.secret), secret: rolled.secret };
            }),
        );
    }
    return routes;
}

function isPolicy(value: unknown): boolean {
    const p = value as Record<string, unknown> | null;
    return (
        typeof p === "object" &&
        p !== null &&
        (p.effect === "allow" || p.effect === "deny") &&
        typeof p.resources === "object" &&
        p.resources !== null &&
        Array.isArray(p.permission_groups) &&
        p.permission_groups.length > 0 &&
        p.permission_groups.every((g) => typeof (g as { id?: unknown })?.id === "string")
    );
}
