/**
 * Turns stored secrets and versions into the `Secret` and `SecretVersion` messages the service
 * returns. Maps are copied, so a response can never alias the store.
 */
import type { SecretMessage, SecretVersionMessage } from "./messages";
import type { StoredSecret, StoredVersion } from "./store";
import { toTimestamp } from "./time";

/** The `Secret` message for a stored secret, with every output field the service fills. */
export function secretMessage(secret: StoredSecret): SecretMessage {
    const message: SecretMessage = {
        name: secret.name,
        createTime: toTimestamp(secret.createTimeMs),
        labels: { ...secret.labels },
        annotations: { ...secret.annotations },
        versionAliases: Object.fromEntries(
            Object.entries(secret.versionAliases).map(([alias, n]) => [alias, String(n)]),
        ),
        topics: secret.topics.map((topic) => ({ ...topic })),
        etag: secret.etag,
    };
    if (secret.replication) message.replication = secret.replication;
    if (secret.versionDestroyTtl) message.versionDestroyTtl = { ...secret.versionDestroyTtl };
    if (secret.expireTimeMs !== undefined) message.expireTime = toTimestamp(secret.expireTimeMs);
    if (secret.rotation) message.rotation = secret.rotation;
    if (secret.secretType) message.secretType = secret.secretType;
    return message;
}

/** The resource name of version `number` of `secret`. */
export function versionName(secret: StoredSecret, number: number): string {
    return `${secret.name}/versions/${number}`;
}

/** The `SecretVersion` message (metadata only, never the payload). */
export function versionMessage(secret: StoredSecret, version: StoredVersion): SecretVersionMessage {
    const message: SecretVersionMessage = {
        name: versionName(secret, version.number),
        createTime: toTimestamp(version.createTimeMs),
        state: version.state,
        etag: version.etag,
        clientSpecifiedPayloadChecksum: version.clientSpecifiedChecksum,
        replicationStatus: replicationStatus(secret),
    };
    if (version.destroyTimeMs !== undefined) {
        message.destroyTime = toTimestamp(version.destroyTimeMs);
    }
    if (version.scheduledDestroyTimeMs !== undefined) {
        message.scheduledDestroyTime = toTimestamp(version.scheduledDestroyTimeMs);
    }
    return message;
}

function replicationStatus(secret: StoredSecret): Record<string, unknown> | undefined {
    if (secret.replication?.automatic) return { automatic: {} };
    const replicas = secret.replication?.userManaged?.replicas;
    if (!replicas) return undefined;
    return { userManaged: { replicas: replicas.map((r) => ({ location: r.location })) } };
}
