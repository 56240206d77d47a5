/**
 * Fake SendGrid API keys (`/v3/api_keys`), the verify call `GET /v3/scopes`, and the bot's own
 * use call `POST /v3/mail/send` (202 with a working key that has the mail.send scope).
 *
 * Admin requests need `Authorization: Bearer <admin key>`: a missing or unknown key gets 401,
 * a working key without the api_keys scopes (any key this fake issued) gets 403. The account
 * holds at most `keyLimit` keys, the admin key included as on a real account; creating past
 * that gets 403. Keys never expire. Omitting `scopes` at creation gives a full-access key,
 * represented here by a short list of scopes.
 */
import type { IssuedKey, KeyRegister } from "./register";
import { randomUrlSafe } from "./ids";
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

/** Options of the fake SendGrid. */
export interface FakeSendGridOptions extends FakeOptions {
    /** The admin key (scopes api_keys.*). Default: a random `SG.` key. */
    adminKey?: string;
    /** Most keys the account may hold, the admin key included. Default: 100. */
    keyLimit?: number;
}

/** A running fake SendGrid. */
export interface FakeSendGrid extends FakeBase {
    readonly admin: { readonly apiKey: string };
    /** Issues a key as the web app would (e.g. the bot's current key). Default scope mail.send. */
    seedKey(name?: string, scopes?: string[]): IssuedKey;
}

/** Operation names of the fake SendGrid, for `faults.inject` and `requests.count`. */
export const SENDGRID_OPERATIONS = ["create", "list", "get", "revoke", "verify", "use"] as const;

const FULL_ACCESS = [
    "api_keys.create",
    "api_keys.read",
    "api_keys.delete",
    "mail.send",
    "scopes.read",
];

/** SendGrid's error shape: `{"errors": [{"field": null, "message": "..."}]}`. */
export const sendGridDialect: Dialect = {
    error: (_status, message) => ({ errors: [{ field: null, message }] }),
};

function newKey(): { id: string; secret: string } {
    const id = randomUrlSafe(22);
    return { id, secret: `SG.${id}.${randomUrlSafe(43)}` };
}

function issueKey(register: KeyRegister, name: string, scopes: string[]): IssuedKey {
    return register.issue({ ...newKey(), name, attributes: { scopes } });
}

/** Starts a fake SendGrid on 127.0.0.1. */
export async function startFakeSendGrid(options: FakeSendGridOptions = {}): Promise<FakeSendGrid> {
    const adminKey = options.adminKey ?? newKey().secret;
    const keyLimit = options.keyLimit ?? 100;
    const base = await startFake(options, {
        name: "sendgrid",
        dialect: sendGridDialect,
        operations: SENDGRID_OPERATIONS,
        routes: ({ register }) => sendGridRoutes(register, adminKey, keyLimit),
    });
    return {
        ...base,
        admin: { apiKey: adminKey },
        seedKey: (name = "bot-key", scopes = ["mail.send"]) =>
            issueKey(base.register, name, scopes),
    };
}

function sendGridRoutes(register: KeyRegister, adminKey: string, keyLimit: number): Route[] {
    const scopesOf = (req: FakeRequest): string[] => {
        const token = bearerToken(req);
        if (token !== undefined && token === adminKey) return FULL_ACCESS;
        const key = register.authenticate(token);
        if (!key) throw new ProviderError(401, "authorization required");
        return key.attributes.scopes as string[];
    };
    const requireScope = (req: FakeRequest, scope: string) => {
        if (!scopesOf(req).includes(scope)) throw new ProviderError(403, "access forbidden");
    };
    const existingKey = (id: string) => {
        const key = register.find(id);
        if (!key || key.revokedAt !== undefined) {
            throw new ProviderError(404, "unable to find API Key");
        }
        return key;
    };
    return [
        route("POST", "/v3/api_keys", "create", (req) => {
            requireScope(req, "api_keys.create");
            const body = jsonObject(req);
            rejectUnknownFields(body, ["name", "scopes"]);
            const name = requireString(body, "name", 100);
            const scopes = body.scopes === undefined ? FULL_ACCESS : body.scopes;
            if (!Array.isArray(scopes) || !scopes.every((s) => typeof s === "string")) {
                throw new ProviderError(400, "`scopes` must be an array of scope names.");
            }
            if (register.existingCount() + 1 >= keyLimit) {
                throw new ProviderError(403, `Cannot create more than ${keyLimit} API keys.`);
            }
            const key = issueKey(register, name, scopes);
            const body201 = { api_key: key.secret, api_key_id: key.id, name, scopes };
            return { status: 201, body: body201, secret: key.secret };
        }),
        route("GET", "/v3/api_keys", "list", (req) => {
            requireScope(req, "api_keys.read");
            const result = register.existing().map((k) => ({ name: k.name, api_key_id: k.id }));
            return { status: 200, body: { result } };
        }),
        route("GET", "/v3/api_keys/{id}", "get", (req) => {
            requireScope(req, "api_keys.read");
            const k = existingKey(req.params.id);
            const result = [{ name: k.name, api_key_id: k.id, scopes: k.attributes.scopes }];
            return { status: 200, body: { result } };
        }),
        route("DELETE", "/v3/api_keys/{id}", "revoke", (req) => {
            requireScope(req, "api_keys.delete");
            register.revoke(existingKey(req.params.id).id);
            return { status: 204 };
        }),
        route("GET", "/v3/scopes", "verify", (req) => ({
            status: 200,
            body: { scopes: scopesOf(req) },
        })),
        route("POST", "/v3/mail/send", "use", (req) => {
            requireScope(req, "mail.send");
            const body = jsonObject(req);
            const from = body.from as { email?: unknown } | undefined;
            if (!Array.isArray(body.personalizations) || body.personalizations.length === 0) {
                throw new ProviderError(400, "`personalizations` must be a non-empty array.");
            }
            if (typeof from?.email !== "string") {
                throw new ProviderError(400, "`from.email` is required.");
            }
            return { status: 202 };
        }),
    ];
}
