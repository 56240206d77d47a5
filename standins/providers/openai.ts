/**
 * Fake OpenAI project service accounts: project API keys cannot be created by API, but a service
 * account can, and it comes with its key. Creating one
 * (`POST /v1/organization/projects/{project}/service_accounts`) returns the account with
 * `api_key.value`; deleting the account removes its key. The register's key ID is therefore the
 * service account's ID (`svc_acct_...`); the key's own ID (`key_...`) is kept as the `keyId`
 * attribute.
 *
 * Admin requests need `Authorization: Bearer <sk-admin-...>`; other keys get 401, a project key
 * 403. Verify: `GET /v1/models`; use: `POST /v1/chat/completions`, both with the project key.
 */
import type { IssuedKey, KeyRegister } from "./register";
import type { Clock } from "./clock";
import { randomChars, randomHex, unixSeconds } from "./ids";
import {
    ProviderError,
    bearerToken,
    jsonObject,
    rejectUnknownFields,
    requireString,
    route,
    type Dialect,
    type FakeRequest,
    type Route,
} from "./routing";
import { startFake, type FakeBase, type FakeOptions } from "./server";

/** Options of the fake OpenAI. */
export interface FakeOpenAIOptions extends FakeOptions {
    /** The project the service accounts live in. Default: `proj_` + random. */
    projectId?: string;
    /** Default: `sk-admin-` + random. */
    adminKey?: string;
}

/** A running fake OpenAI. */
export interface FakeOpenAI extends FakeBase {
    readonly admin: { readonly adminKey: string; readonly projectId: string };
    /** Creates a service account with its key as the dashboard would. */
    seedKey(name?: string): IssuedKey;
}

/** Operation names of the fake OpenAI. */
export const OPENAI_OPERATIONS = ["create", "list", "get", "revoke", "verify", "use"] as const;

/** OpenAI's error shape: `{"error": {"message", "type", "param", "code"}}`. */
export const openAIDialect: Dialect = {
    error: (status, message, details) => ({
        error: {
            message,
            type:
                status === 429
                    ? "requests"
                    : status >= 500
                      ? "server_error"
                      : "invalid_request_error",
            param: null,
            code:
                (details?.code as string | undefined) ??
                (status === 429 ? "rate_limit_exceeded" : null),
        },
    }),
};

function issueAccount(register: KeyRegister, clock: Clock, name: string): IssuedKey {
    return register.issue({
        id: `svc_acct_${randomHex(12)}`,
        secret: `sk-svcacct-${randomChars(64)}`,
        name,
        attributes: {
            keyId: `key_${randomChars(16)}`,
            role: "member",
            created_at: unixSeconds(clock.now()),
        },
    });
}

function account(key: IssuedKey) {
    const { role, created_at } = key.attributes;
    const object = "organization.project.service_account";
    return { object, id: key.id, name: key.name, role, created_at };
}

/** Starts a fake OpenAI on 127.0.0.1. */
export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
    const admin = {
        adminKey: options.adminKey ?? `sk-admin-${randomChars(48)}`,
        projectId: options.projectId ?? `proj_${randomChars(24)}`,
    };
    const base = await startFake(options, {
        name: "openai",
        dialect: openAIDialect,
        operations: OPENAI_OPERATIONS,
        routes: ({ register, clock }) => openAIRoutes(register, clock, admin),
    });
    return {
        ...base,
        admin,
        seedKey: (name = "bot") => issueAccount(base.register, base.clock, name),
    };
}

function openAIRoutes(
    register: KeyRegister,
    clock: Clock,
    admin: { adminKey: string; projectId: string },
): Route[] {
    const projectKey = (req: FakeRequest) => {
        const token = bearerToken(req);
        if (token === undefined) {
            throw new ProviderError(
                401,
                "You didn't provide an API key. Send it as a Bearer " +
                    "token in the Authorization header.",
            );
        }
        const key = register.authenticate(token);
        if (!key) {
            const code = "invalid_api_key";
            throw new ProviderError(401, "Incorrect API key provided.", { code });
        }
        return key;
    };
    const requireAdmin = (req: FakeRequest) => {
        if (bearerToken(req) === admin.adminKey) {
            if (req.params.project !== admin.projectId) {
                throw new ProviderError(404, `No such project: ${req.params.project}.`);
            }
            return;
        }
        projectKey(req);
        throw new ProviderError(
            403,
            "You have insufficient permissions for this operation; " +
                "use an admin key (sk-admin-...).",
        );
    };
    const existing = (req: FakeRequest) => {
        const key = register.find(req.params.id);
        if (!key || key.revokedAt !== undefined) {
            throw new ProviderError(404, "No such service account in this project.");
        }
        return key;
    };
    const accounts = "/v1/organization/projects/{project}/service_accounts";
    return [
        route("POST", accounts, "create", (req) => {
            requireAdmin(req);
            const body = jsonObject(req);
            rejectUnknownFields(body, ["name"]);
            const key = issueAccount(register, clock, requireString(body, "name"));
            const api_key = {
                object: "organization.project.service_account.api_key",
                value: key.secret,
                name: "Secret Key",
                created_at: key.attributes.created_at,
                id: key.attributes.keyId,
            };
            return { status: 200, body: { ...account(key), api_key }, secret: key.secret };
        }),
        route("GET", accounts, "list", (req) => {
            requireAdmin(req);
            // Pages as the service does: `limit` 1 to 100 (default 20), `after` the last ID seen.
            const all = register.existing().map(account);
            const limit = Math.min(100, Math.max(1, Number(req.query.get("limit") ?? 20)));
            const after = req.query.get("after");
            const start = after === null ? 0 : all.findIndex((a) => a.id === after) + 1;
            const data = all.slice(start, start + limit);
            const page = { first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
            const hasMore = start + limit < all.length;
            return { status: 200, body: { object: "list", data, ...page, has_more: hasMore } };
        }),
        route("GET", `${accounts}/{id}`, "get", (req) => {
            requireAdmin(req);
            return { status: 200, body: account(existing(req)) };
        }),
        route("DELETE", `${accounts}/{id}`, "revoke", (req) => {
            requireAdmin(req);
            const key = register.revoke(existing(req).id)!;
            const object = "organization.project.service_account.deleted";
            return { status: 200, body: { object, id: key.id, deleted: true } };
        }),
        route("GET", "/v1/models", "verify", (req) => {
            projectKey(req);
            const model = {
                id: "gpt-4o-mini",
                object: "model",
                created: 1721172741,
                owned_by: "system",
            };
            return { status: 200, body: { object: "list", data: [model] } };
        }),
        route("POST", "/v1/chat/completions", "use", (req) => {
            projectKey(req);
            const body = jsonObject(req);
            const model = requireString(body, "model");
            if (!Array.isArray(body.messages) || body.messages.length === 0) {
                throw new ProviderError(400, "`messages` must be a non-empty array.");
            }
            const message = { role: "assistant", content: "ok" };
            return {
                status: 200,
                body: {
                    id: `chatcmpl-${randomChars(24)}`,
                    object: "chat.completion",
                    created: unixSeconds(clock.now()),
                    model,
                    choices: [{ index: 0, message, finish_reason: "stop" }],
                },
            };
        }),
    ];
}
