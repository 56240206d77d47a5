/**
 * Google Cloud API keys (Maps, Gemini, YouTube...) through the API Keys API v2, authenticated
 * as the function's own service account. There is no rotate method: a new key is created, and
 * the old one deleted after the grace period (a soft delete, restorable for 30 days).
 *
 * Keys get the attempt's key name as their key ID (made valid for API Keys) and annotations
 * that mark them as keywarden's, so an orphan can be found by listing. API keys have no expiry.
 */
import type { GoogleApiKeyRotatorConfig } from "../policy/types";
import { badResponse, guarded, isOk, statusFailure } from "./failures";
import {
    apiKeyIdFor,
    asObject,
    DEFAULT_POLL_DELAYS_MS,
    GOOGLE_LABEL,
    googleFailure,
    GoogleRest,
    Operation,
} from "./google-rest";
import {
    IssuedKey,
    KeyRequest,
    RevokeOutcome,
    Rotator,
    RotatorDeps,
    RotatorError,
} from "./rotator";
import { renderUrl } from "./templates";

/** Annotation keys put on every key this rotator creates. */
export const GOOGLE_ANNOTATIONS = {
    keyName: "keywarden-key-name",
    attempt: "keywarden-attempt",
} as const;

/** What an API Keys key resource name looks like; anything else is never put in a URL. */
const KEY_NAME = /^projects\/[a-z0-9-]+\/locations\/global\/keys\/[a-z][a-z0-9-]{0,62}$/;

/** Most pages of keys read when looking for a key by name. */
const MAX_LIST_PAGES = 20;

/** Internal. Exported for testing: how long operations are polled. */
export interface GoogleApiKeyOptions {
    /** Pauses between polls of an operation, in ms. */
    pollDelaysMs?: number[];
}

/** A `Rotator` for Google Cloud API keys. */
export class GoogleApiKeyRotator implements Rotator {
    readonly label = GOOGLE_LABEL;
    readonly supportsExpiry = false;
    readonly canFindByName = true;
    readonly revokes = true;
    private readonly rest: GoogleRest;
    private readonly parent: string;

    constructor(
        private readonly config: GoogleApiKeyRotatorConfig,
        private readonly deps: RotatorDeps,
        options: GoogleApiKeyOptions = {},
    ) {
        const endpoint = (config.endpoint ?? "https://apikeys.googleapis.com").replace(/\/+$/, "");
        this.rest = new GoogleRest(endpoint, deps, options.pollDelaysMs ?? DEFAULT_POLL_DELAYS_MS);
        this.parent = `projects/${config.project}/locations/global`;
    }

    async create(request: KeyRequest): Promise<IssuedKey> {
        const keyId = apiKeyIdFor(request.keyName);
        const displayName = `${this.config.displayName ?? "keywarden"} ${request.attemptId}`;
        const body: Record<string, unknown> = {
            displayName: displayName.slice(0, 63),
            annotations: {
                [GOOGLE_ANNOTATIONS.keyName]: request.keyName,
                [GOOGLE_ANNOTATIONS.attempt]: request.attemptId,
            },
        };
        if (this.config.restrictions) body.restrictions = this.config.restrictions;
        if (this.config.serviceAccountEmail) {
            body.serviceAccountEmail = this.config.serviceAccountEmail;
        }
        const response = await this.rest.send(
            "create",
            "POST",
            `/v2/${this.parent}/keys?keyId=${keyId}`,
            { json: body, idempotent: false },
        );
        if (response.status === 409) {
            throw new RotatorError(
                "provider-error",
                `${GOOGLE_LABEL} create answered HTTP 409: ` +
                    `a key with ID ${keyId} already exists (or was deleted less than 30 days ` +
                    `ago); ` +
                    "the next tick uses a new attempt ID",
                409,
            );
        }
        if (!isOk(response.status)) {
            throw googleFailure("create", response.status);
        }
        const done = await this.rest.waitFor("create", asObject(response.body) as Operation);
        const key = asObject(done.response);
        if (typeof key.name !== "string" || !KEY_NAME.test(key.name)) {
            throw badResponse(
                GOOGLE_LABEL,
                "create",
                response.status,
                "the key's resource name in the finished operation",
                true,
            );
        }
        const secret =
            typeof key.keyString === "string" && key.keyString !== ""
                ? key.keyString
                : await this.keyString(key.name);
        return { keyId: key.name, secret };
    }

    async verify(key: IssuedKey): Promise<void> {
        if (this.config.verifyUrl) return this.verifyByUse(key.secret, this.config.verifyUrl);
        const response = await this.rest.send(
            "verify",
            "GET",
            `/v2/keys:lookupKey?keyString=${encodeURIComponent(key.secret)}`,
            { extraSecrets: [key.secret] },
        );
        if (response.status === 400 || response.status === 404) {
            throw new RotatorError(
                "key-rejected",
                `${GOOGLE_LABEL} verify answered HTTP ` +
                    `${response.status}: the key is unknown to the API; it must not be published`,
                response.status,
            );
        }
        if (!isOk(response.status)) {
            throw googleFailure("verify", response.status);
        }
        if (asObject(response.body).name !== key.keyId) {
            throw new RotatorError(
                "key-rejected",
                `${GOOGLE_LABEL} verify: the key string ` +
                    `belongs to another key than ${key.keyId}; it must not be published`,
            );
        }
    }

    async revoke(keyId: string): Promise<RevokeOutcome> {
        this.checkKeyName(keyId);
        const response = await this.rest.send("revoke", "DELETE", `/v2/${keyId}`);
        if (response.status === 404) return "already-revoked";
        if (!isOk(response.status)) {
            throw googleFailure("revoke", response.status);
        }
        await this.rest.waitFor("revoke", asObject(response.body) as Operation);
        return "revoked";
    }

    /** Resource names of live keys carrying `keyName` (by annotation or by key ID). */
    async findByName(keyName: string): Promise<string[]> {
        const suffix = `/keys/${apiKeyIdFor(keyName)}`;
        const found: string[] = [];
        let pageToken = "";
        for (let page = 0; page < MAX_LIST_PAGES; page++) {
            const next = pageToken ? `&pageToken=${encodeURIComponent(pageToken)}` : "";
            const body = await this.rest.expectOk(
                "list",
                "GET",
                `/v2/${this.parent}/keys?pageSize=300${next}`,
            );
            const keys = body.keys ?? [];
            if (!Array.isArray(keys)) {
                throw badResponse(GOOGLE_LABEL, "list", 200, 'an array at "keys"', false);
            }
            for (const key of keys.map(asObject)) {
                const named = asObject(key.annotations)[GOOGLE_ANNOTATIONS.keyName] === keyName;
                const name = key.name;
                if (
                    typeof name === "string" &&
                    KEY_NAME.test(name) &&
                    (named || name.endsWith(suffix))
                ) {
                    found.push(name);
                }
            }
            pageToken = typeof body.nextPageToken === "string" ? body.nextPageToken : "";
            if (!pageToken) return found;
        }
        throw new RotatorError(
            "provider-error",
            `${GOOGLE_LABEL} list: more than ` +
                `${MAX_LIST_PAGES} pages of keys; look for keys named ${keyName} in the console`,
        );
    }

    /** Checks the key by calling the configured URL with it (e.g. a Gemini models list). */
    private async verifyByUse(secret: string, template: string): Promise<void> {
        const url = renderUrl(template, { key: secret });
        const response = await guarded(GOOGLE_LABEL, "verify", [secret], () =>
            this.deps.http.request({
                method: "GET",
                url,
                idempotent: true,
                credentialHost: new URL(url).hostname,
                secrets: [secret],
            }),
        );
        // Google APIs answer an unusable key with 400 API_KEY_INVALID as well as 401 and 403.
        if (response.status === 400) {
            throw new RotatorError(
                "key-rejected",
                `${GOOGLE_LABEL} verify answered HTTP 400: ` +
                    "the API refused the key; it must not be published",
                400,
            );
        }
        if (!isOk(response.status)) {
            throw statusFailure(GOOGLE_LABEL, "verify", response.status, "key");
        }
    }

    private async keyString(name: string): Promise<string> {
        const body = await this.rest.expectOk(
            "create (reading the key string)",
            "GET",
            `/v2/${name}/keyString`,
        );
        if (typeof body.keyString !== "string" || body.keyString === "") {
            throw badResponse(
                GOOGLE_LABEL,
                "create (reading the key string)",
                200,
                "a keyString",
                true,
            );
        }
        return body.keyString;
    }

    private checkKeyName(keyId: string): void {
        if (!KEY_NAME.test(keyId)) {
            throw new RotatorError(
                "needs-human",
                `${GOOGLE_LABEL} revoke: ` +
                    `${JSON.stringify(keyId)} is not an API key resource name ` +
                    "(projects/P/locations/global/keys/K); delete the key in the console",
            );
        }
    }
}
