/**
 * UpdateSecret: the field mask, and the etag compare-and-set that keywarden's rotation lock is
 * built on.
 *
 * The etag travels inside the Secret (`secret.etag`). When it is set and differs from the stored
 * one, the call fails with FAILED_PRECONDITION and nothing changes; when it is empty the update
 * is unconditional. Every successful update gives the secret a new etag, even if the new values
 * equal the old ones, so a holder of the old etag always loses the race.
 */
import { etagMismatch, invalidArgument } from "./errors";
import type { SecretMessage, UpdateSecretRequest } from "./messages";
import { parseSecretName } from "./names";
import { secretMessage } from "./resources";
import { expiry } from "./secret-handlers";
import type { SecretStore, StoredSecret } from "./store";
import { durationToMs } from "./time";
import { checkAnnotations, checkLabels, checkVersionAliases } from "./validation";

/** Mask paths that name fields which cannot change after creation. */
const IMMUTABLE = new Set([
    "name",
    "replication",
    "create_time",
    "etag",
    "secret_type",
    "customer_managed_encryption",
    "tags",
    "policy_member",
]);

/** Applies the masked fields of `request.secret` to the stored secret, all or nothing. */
export function updateSecret(store: SecretStore, request: UpdateSecretRequest): SecretMessage {
    const given = request.secret;
    const { name } = parseSecretName(given?.name, "secret.name");
    const secret = store.require(name);
    const paths = (request.updateMask?.paths ?? []).map(snakeCase);
    if (paths.length === 0) {
        throw invalidArgument(
            "update_mask",
            'is required: list the fields to change, e.g. { paths: ["annotations"] }',
        );
    }
    if (given?.etag && given.etag !== secret.etag) throw etagMismatch(name, given.etag);

    // Build the whole change first, so a bad field leaves the secret untouched.
    const change: Partial<StoredSecret> = {};
    for (const path of new Set(paths)) applyPath(path, given ?? {}, secret, change, store);
    Object.assign(secret, change, { etag: store.newEtag() });
    return secretMessage(secret);
}

function applyPath(
    path: string,
    given: SecretMessage,
    secret: StoredSecret,
    change: Partial<StoredSecret>,
    store: SecretStore,
): void {
    switch (path) {
        case "labels": {
            const labels = given.labels ?? {};
            checkLabels(labels, "secret.labels");
            change.labels = { ...labels };
            return;
        }
        case "annotations": {
            const annotations = given.annotations ?? {};
            checkAnnotations(annotations, "secret.annotations");
            change.annotations = { ...annotations };
            return;
        }
        case "version_aliases":
            change.versionAliases = checkVersionAliases(
                given.versionAliases ?? {},
                secret,
                "secret.version_aliases",
            );
            return;
        case "version_destroy_ttl":
            if (given.versionDestroyTtl) {
                durationToMs(given.versionDestroyTtl, "secret.version_destroy_ttl");
            }
            change.versionDestroyTtl = given.versionDestroyTtl;
            return;
        case "expire_time":
        case "ttl":
            change.expireTimeMs = expiry(given, store.clock.now());
            return;
        case "topics":
            change.topics = given.topics ?? [];
            return;
        case "rotation":
        case "rotation.next_rotation_time":
        case "rotation.rotation_period":
            change.rotation = given.rotation;
            return;
    }
    if (IMMUTABLE.has(path)) {
        const field = JSON.stringify(path);
        throw invalidArgument("update_mask.paths", `field ${field} cannot be updated`);
    }
    throw invalidArgument(
        "update_mask.paths",
        `unknown field ${JSON.stringify(path)}; updatable fields are labels, annotations, ` +
            "version_aliases, version_destroy_ttl, expire_time, ttl, topics, rotation",
    );
}

/** Mask paths may come as `versionAliases` (JSON style) or `version_aliases` (proto style). */
function snakeCase(path: string): string {
    return path.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}
