/**
 * CreateSecret, GetSecret, ListSecrets and DeleteSecret. UpdateSecret, which carries the etag
 * compare-and-set, has its own file (secret-update.ts).
 */
import { alreadyExists, etagMismatch, invalidArgument } from "./errors";
import { type FilterRules, matchesFilter, parseFilter } from "./filter";
import type { CreateSecretRequest, ListRequest, NamedRequest, SecretMessage } from "./messages";
import { isRegional, parseParent, parseSecretName } from "./names";
import { takePage } from "./pagination";
import { secretMessage } from "./resources";
import type { SecretStore, StoredSecret } from "./store";
import { durationToMs, timestampToMs } from "./time";
import {
    checkAnnotations,
    checkLabels,
    checkReplication,
    checkSecretId,
    checkVersionAliases,
} from "./validation";

/** ListSecrets filters on the name and on labels (`labels.env=prod`, `labels.team:*`). */
const SECRET_FILTER: FilterRules = {
    supports: (field) => field === "name" || /^labels\.[^.]+$/.test(field),
    description: "supported fields: name, labels.KEY",
    containsFields: ["name"],
};

/** Creates a secret with no versions. */
export function createSecret(store: SecretStore, request: CreateSecretRequest): SecretMessage {
    const parent = parseParent(request.parent, "parent");
    const secretId = checkSecretId(request.secretId);
    const given = request.secret;
    if (!given) {
        throw invalidArgument("secret", "is required, e.g. { replication: { automatic: {} } }");
    }
    const name = `${parent}/secrets/${secretId}`;
    if (store.secrets.has(name)) throw alreadyExists(name);

    checkReplication(given.replication, isRegional(parent));
    const labels = given.labels ?? {};
    checkLabels(labels, "secret.labels");
    const annotations = given.annotations ?? {};
    checkAnnotations(annotations, "secret.annotations");
    // A new secret has no versions, so any alias is rejected here, as it is by the service.
    const versionAliases = checkVersionAliases(
        given.versionAliases ?? {},
        { versions: new Map() },
        "secret.version_aliases",
    );
    if (given.versionDestroyTtl) {
        durationToMs(given.versionDestroyTtl, "secret.version_destroy_ttl");
    }
    const now = store.clock.now();
    const secret: StoredSecret = {
        name,
        parent,
        secretId,
        sequence: store.nextSequence(),
        createTimeMs: now,
        replication: given.replication,
        labels: { ...labels },
        annotations: { ...annotations },
        versionAliases,
        versionDestroyTtl: given.versionDestroyTtl,
        expireTimeMs: expiry(given, now),
        topics: given.topics ?? [],
        rotation: given.rotation,
        secretType: given.secretType,
        etag: store.newEtag(),
        versions: new Map(),
        lastVersionNumber: 0,
    };
    store.secrets.set(name, secret);
    return secretMessage(secret);
}

/**
 * When a secret given with `expire_time` or `ttl` expires (epoch ms), if ever. The moment must
 * lie in the future: a secret cannot be created or updated already expired.
 */
export function expiry(given: SecretMessage, nowMs: number): number | undefined {
    let expiresAt: number | undefined;
    if (given.expireTime) expiresAt = timestampToMs(given.expireTime);
    else if (given.ttl) expiresAt = nowMs + durationToMs(given.ttl, "secret.ttl");
    if (expiresAt !== undefined && expiresAt <= nowMs) {
        const field = given.expireTime ? "secret.expire_time" : "secret.ttl";
        throw invalidArgument(field, "must put the expiry in the future");
    }
    return expiresAt;
}

/** Reads one secret's metadata. */
export function getSecret(store: SecretStore, request: NamedRequest): SecretMessage {
    const { name } = parseSecretName(request.name, "name");
    return secretMessage(store.require(name));
}

/** Deletes a secret and all its versions; a given etag must match the secret's. */
export function deleteSecret(store: SecretStore, request: NamedRequest): Record<string, never> {
    const { name } = parseSecretName(request.name, "name");
    const secret = store.require(name);
    if (request.etag && request.etag !== secret.etag) throw etagMismatch(name, request.etag);
    store.secrets.delete(name);
    return {};
}

/** Lists the secrets of a project, newest first, filtered and paged. */
export function listSecrets(store: SecretStore, request: ListRequest) {
    const parent = parseParent(request.parent, "parent");
    const filter = request.filter ?? "";
    const terms = parseFilter(filter, SECRET_FILTER);
    const inParent = [...store.secrets.values()]
        .filter((secret) => secret.parent === parent)
        .sort((a, b) => b.sequence - a.sequence);
    const matching = inParent.filter((secret) =>
        matchesFilter(terms, (field) => readSecretField(secret, field), SECRET_FILTER),
    );
    const page = takePage(matching, request.pageSize, request.pageToken, `${parent}?${filter}`);
    return {
        secrets: page.items.map(secretMessage),
        nextPageToken: page.nextPageToken,
        // As documented: the total count, but 0 when a filter is set.
        totalSize: filter.trim() ? 0 : inParent.length,
    };
}

function readSecretField(secret: StoredSecret, field: string): string | undefined {
    if (field === "name") return secret.name;
    const label = field.slice("labels.".length);
    return Object.prototype.hasOwnProperty.call(secret.labels, label)
        ? secret.labels[label]
        : undefined;
}
