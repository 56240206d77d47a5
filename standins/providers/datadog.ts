/**
 * Fake Datadog API keys (`/api/v2/api_keys`, JSON:API bodies), the verify call
 * `GET /api/v1/validate`, and the bot's use call `POST /api/v2/series` (202).
 *
 * Key management needs both headers: `DD-APPLICATION-KEY` must be the configured application
 * key, and `DD-API-KEY` any working API key of the organisation: the configured admin API key
 * or, as on the real service, a key this fake issued. Anything else gets 403
 * `{"errors": ["Forbidden"]}`. Unlike most providers, `GET /api/v2/api_keys/{id}` returns the
 * key itself: never log it.
 */
import { randomUUID } from "node:crypto";
import type { IssuedKey, KeyRegister } from "./register";
import type { Clock } from "./clock";
import { isoTime, randomHex } from "./ids";
import {
    ProviderError,
    header,
    jsonObject,
    rejectUnknownFields,
    requireString,
    route,
    type Dialect,
    type FakeRequest,
    type Route,
} from "./routing";
import { startFake, type FakeBase, type FakeOptions } from "./server";

/** Options of the fake Datadog. */
export interface FakeDatadogOptions extends FakeOptions {
    /** Default: 32 random hex. */
    adminApiKey?: string;
    /** Default: 40 random hex. */
    adminApplicationKey?: string;
}

/** A running fake Datadog. */
export interface FakeDatadog extends FakeBase {
    readonly admin: { readonly apiKey: string; readonly applicationKey: string };
    /** Issues an API key as the web app would. */
    seedKey(name?: string): IssuedKey;
}

/** Operation names of the fake Datadog. */
export const DATADOG_OPERATIONS = ["create", "list", "get", "revoke", "verify", "use"] as const;

/** Datadog's error shape: `{"errors": ["..."]}`. */
export const datadogDialect: Dialect = { error: (_status, message) => ({ errors: [message] }) };

function issueKey(register: KeyRegister, clock: Clock, name: string): IssuedKey {
    return register.issue({
        id: randomUUID(),
        secret: randomHex(16),
        name,
        attributes: { created_at: isoTime(clock.now()) },
    });
}

function resource(key: IssuedKey, withKey: boolean) {
    const attributes: Record<string, unknown> = {
        created_at: key.attributes.created_at,
        last4: key.secret.slice(-4),
        modified_at: key.attributes.created_at,
        name: key.name,
        category: "default",
        remote_config_read_enabled: true,
    };
    if (withKey) attributes.key = key.secret;
    return { type: "api_keys", id: key.id, attributes };
}

/** Starts a fake Datadog on 127.0.0.1. */
export async function startFakeDatadog(options: FakeDatadogOptions = {}): Promise<FakeDatadog> {
    const admin = {
        apiKey: options.adminApiKey ?? randomHex(16),
        applicationKey: options.adminApplicationKey ?? randomHex(20),
    };
    const base = await startFake(options, {
        name: "datadog",
        dialect: datadogDialect,
        operations: DATADOG_OPERATIONS,
        routes: ({ register, clock }) => datadogRoutes(register, clock, admin),
    });
    return {
        ...base,
        admin,
        seedKey: (name = "bot-key") => issueKey(base.register, base.clock, name),
    };
}

function datadogRoutes(
    register: KeyRegister,
    clock: Clock,
    admin: { apiKey: string; applicationKey: string },
): Route[] {
    const forbidden = () => new ProviderError(403, "Forbidden");
    const requireApiKey = (req: FakeRequest) => {
        const apiKey = header(req, "DD-API-KEY");
        if (apiKey !== admin.apiKey && !register.authenticate(apiKey)) throw forbidden();
    };
    const requireAdmin = (req: FakeRequest) => {
        requireApiKey(req);
        if (header(req, "DD-APPLICATION-KEY") !== admin.applicationKey) throw forbidden();
    };
    const existingKey = (req: FakeRequest) => {
        const key = register.find(req.params.id);
        if (!key || key.revokedAt !== undefined) throw new ProviderError(404, "API key not found");
        return key;
    };
    return [
        route("POST", "/api/v2/api_keys", "create", (req) => {
            requireAdmin(req);
            const body = jsonObject(req);
            rejectUnknownFields(body, ["data"]);
            const data = body.data as Record<string, unknown> | undefined;
            if (typeof data !== "object" || data === null || data.type !== "api_keys") {
                const shape = '{"type": "api_keys", "attributes": {...}}';
                throw new ProviderError(400, `\`data\` must be ${shape}.`);
            }
            rejectUnknownFields(data, ["type", "attributes"]);
            const attributes = (data.attributes ?? {}) as Record<string, unknown>;
            rejectUnknownFields(attributes, ["name", "category", "remote_config_read_enabled"]);
            const key = issueKey(register, clock, requireString(attributes, "name"));
            return { status: 201, body: { data: resource(key, true) }, secret: key.secret };
        }),
        route("GET", "/api/v2/api_keys", "list", (req) => {
            requireAdmin(req);
            const data = register.existing().map((k) => resource(k, false));
            const meta = { page: { total_filtered_count: data.length } };
            return { status: 200, body: { data, meta } };
        }),
        route("GET", "/api/v2/api_keys/{id}", "get", (req) => {
            requireAdmin(req);
            const key = existingKey(req);
            return { status: 200, body: { data: resource(key, true) }, secret: key.secret };
        }),
        route("DELETE", "/api/v2/api_keys/{id}", "revoke", (req) => {
            requireAdmin(req);
            register.revoke(existingKey(req).id);
            return { status: 204 };
        }),
        route("GET", "/api/v1/validate", "verify", (req) => {
            requireApiKey(req);
            return { status: 200, body: { valid: true } };
        }),
        route("POST", "/api/v2/series", "use", (req) => {
            requireApiKey(req);
            const body = jsonObject(req);
            if (!Array.isArray(body.series)) {
                throw new ProviderError(400, "`series` must be an array of metric series.");
            }
            return { status: 202, body: { errors: [] } };
        }),
    ];
}
