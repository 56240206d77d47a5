/**
 * Fake Google API Keys API v2 (apikeys.googleapis.com) plus the Gemini calls a bot makes with
 * such a key (see google-gemini.ts).
 *
 * Auth is `Authorization: Bearer <access token>`, checked against the configured token (the
 * function's service-account token in production): missing or different gets 401
 * UNAUTHENTICATED; a project other than the configured one gets 403 PERMISSION_DENIED. Paths
 * accept the project ID or number; resource names come back with the number, as Google does.
 * CreateKey and DeleteKey are long-running operations (see google-operations.ts); DeleteKey is
 * a soft delete: the key keeps its ID, shows with `showDeleted=true`, and stops working.
 * Restore (`:undelete`) and PATCH are not served.
 */
import { randomUUID } from "node:crypto";
import type { IssuedKey, KeyRegister } from "./register";
import { randomDigits, randomHex, randomUrlSafe } from "./ids";
import { OperationStore } from "./google-operations";
import {
    KEY_ID_PATTERN,
    googleDialect,
    parseKeySpec,
    renderKey,
    type KeySpec,
} from "./google-key-resource";
import { geminiRoutes } from "./google-gemini";
import {
    ProviderError,
    bearerToken,
    jsonObject,
    route,
    type FakeRequest,
    type Route,
} from "./routing";
import { startFake, type FakeBase, type FakeOptions } from "./server";

/** Options of the fake API Keys API. */
export interface FakeGoogleApiKeysOptions extends FakeOptions {
    /** Default: "bots-dev". */
    projectId?: string;
    /** Default: 12 random digits. */
    projectNumber?: string;
    /** The OAuth access token the caller must present. Default: `ya29.` + random. */
    accessToken?: string;
    /** Polls answering `done: false` before the operation is done. Default: 1. */
    pollsUntilDone?: number;
}

/** A running fake API Keys API. */
export interface FakeGoogleApiKeys extends FakeBase {
    readonly admin: {
        readonly accessToken: string;
        readonly projectId: string;
        readonly projectNumber: string;
    };
    /** Creates a key as the console would; `keyId` defaults to a random UUID. */
    seedKey(spec?: KeySpec & { keyId?: string }): IssuedKey;
}

/** Operation names of the fake API Keys API. */
export const GOOGLE_API_KEYS_OPERATIONS = [
    "create",
    "poll",
    "list",
    "get",
    "lookup",
    "revoke",
    "verify",
    "use",
] as const;

interface Settings {
    accessToken: string;
    projectId: string;
    projectNumber: string;
}

function issueKey(register: KeyRegister, s: Settings, keyId: string, spec: KeySpec): IssuedKey {
    return register.issue({
        id: `projects/${s.projectNumber}/locations/global/keys/${keyId}`,
        secret: `AIza${randomUrlSafe(35)}`,
        name: spec.displayName ?? "",
        attributes: {
            uid: randomUUID(),
            etag: `W/"${randomHex(12)}"`,
            restrictions: spec.restrictions,
            annotations: spec.annotations,
            serviceAccountEmail: spec.serviceAccountEmail,
        },
    });
}

/** Starts a fake API Keys API on 127.0.0.1. */
export async function startFakeGoogleApiKeys(
    options: FakeGoogleApiKeysOptions = {},
): Promise<FakeGoogleApiKeys> {
    const settings: Settings = {
        accessToken: options.accessToken ?? `ya29.${randomUrlSafe(60)}`,
        projectId: options.projectId ?? "bots-dev",
        projectNumber: options.projectNumber ?? randomDigits(12),
    };
    const operations = new OperationStore(settings.projectNumber, options.pollsUntilDone ?? 1);
    const base = await startFake(options, {
        name: "google-api-keys",
        dialect: googleDialect,
        operations: GOOGLE_API_KEYS_OPERATIONS,
        routes: ({ register }) => [
            ...apiKeysRoutes(register, settings, operations),
            ...geminiRoutes(register),
        ],
    });
    return {
        ...base,
        admin: settings,
        seedKey: ({ keyId, ...spec } = {}) =>
            issueKey(base.register, settings, keyId ?? randomUUID(), parseKeySpec(spec)),
    };
}

function apiKeysRoutes(register: KeyRegister, s: Settings, operations: OperationStore): Route[] {
    const authorize = (req: FakeRequest) => {
        const token = bearerToken(req);
        if (token === s.accessToken) return;
        const problem =
            token === undefined
                ? "is missing required authentication credential"
                : "had invalid authentication credentials";
        throw new ProviderError(401, `Request ${problem}. Expected OAuth 2 access token.`);
    };
    /** Authorizes and checks the project and location segments of the path. */
    const inProject = (req: FakeRequest) => {
        authorize(req);
        const { project, location } = req.params;
        if (project !== s.projectId && project !== s.projectNumber) {
            throw new ProviderError(403, `Permission denied on resource project ${project}.`);
        }
        if (location !== "global") {
            throw new ProviderError(
                400,
                `Location \`${location}\` is not supported; use \`global\`.`,
            );
        }
    };
    const keyNamed = (req: FakeRequest) => {
        inProject(req);
        const name = `projects/${s.projectNumber}/locations/global/keys/${req.params.key}`;
        const key = register.find(name);
        if (!key) throw new ProviderError(404, "No key with this name exists in the project.");
        return key;
    };
    const live = (key: IssuedKey) => {
        if (key.revokedAt !== undefined) throw new ProviderError(404, "The key was deleted.");
        return key;
    };
    const keyType = { "@type": "type.googleapis.com/google.api.apikeys.v2.Key" };
    const keys = "/v2/projects/{project}/locations/{location}/keys";
    return [
        route("POST", keys, "create", (req) => {
            inProject(req);
            // Without keyId Google names the key by a generated UUID, which the pattern
            // (for caller-chosen IDs) need not match.
            const keyId = req.query.get("keyId") ?? randomUUID();
            if (req.query.has("keyId") && !KEY_ID_PATTERN.test(keyId)) {
                throw new ProviderError(400, "`keyId` must match [a-z]([a-z0-9-]{0,61}[a-z0-9])?.");
            }
            if (register.wasIssued(`projects/${s.projectNumber}/locations/global/keys/${keyId}`)) {
                throw new ProviderError(409, `A key with ID ${keyId} already exists.`);
            }
            const key = issueKey(register, s, keyId, parseKeySpec(jsonObject(req)));
            return { status: 200, body: operations.start({ ...keyType, ...renderKey(key, true) }) };
        }),
        route("GET", "/v2/operations/{operation}", "poll", (req) => {
            authorize(req);
            const op = operations.poll(`operations/${req.params.operation}`);
            if (!op) throw new ProviderError(404, "Operation not found.");
            const secret = op.response?.keyString as string | undefined;
            return { status: 200, body: op, secret };
        }),
        route("GET", keys, "list", (req) => {
            inProject(req);
            const showDeleted = req.query.get("showDeleted") === "true";
            const found = register
                .all()
                .filter(
                    (k) => register.find(k.id) === k && (showDeleted || k.revokedAt === undefined),
                );
            // Google omits empty repeated fields: an empty list is `{}`.
            const body = found.length === 0 ? {} : { keys: found.map((k) => renderKey(k)) };
            return { status: 200, body };
        }),
        route("GET", `${keys}/{key}`, "get", (req) => ({
            status: 200,
            body: renderKey(keyNamed(req)),
        })),
        route("GET", `${keys}/{key}/keyString`, "get", (req) => {
            const key = live(keyNamed(req));
            return { status: 200, body: { keyString: key.secret }, secret: key.secret };
        }),
        route("DELETE", `${keys}/{key}`, "revoke", (req) => {
            const key = live(keyNamed(req));
            register.revoke(key.id);
            return { status: 200, body: operations.start({ ...keyType, ...renderKey(key) }) };
        }),
        route("GET", "/v2/keys:lookupKey", "lookup", (req) => {
            authorize(req);
            const key = register.findBySecret(req.query.get("keyString") ?? "");
            if (!key || key.revokedAt !== undefined) {
                throw new ProviderError(404, "No key with this key string was found.");
            }
            const parent = `projects/${s.projectNumber}/locations/global`;
            return { status: 200, body: { parent, name: key.id } };
        }),
    ];
}
