/**
 * Reading the emulator's state directly, for test assertions: no RPC, no call counted, no
 * injected fault or latency. Snapshots are copies; changing them changes nothing.
 */
import type { VersionState } from "./messages";
import type { SecretStore, StoredSecret, StoredVersion } from "./store";
import { durationToMs } from "./time";

/** One version as stored, including its payload while it has one. */
export interface VersionSnapshot {
    name: string;
    number: number;
    state: VersionState;
    etag: string;
    createTime: Date;
    /** The payload; `undefined` once the version is destroyed. */
    data: Buffer | undefined;
    crc32c: number;
    destroyTime?: Date;
    scheduledDestroyTime?: Date;
}

/** One secret as stored, with its versions oldest first. */
export interface SecretSnapshot {
    name: string;
    etag: string;
    createTime: Date;
    labels: Record<string, string>;
    annotations: Record<string, string>;
    versionAliases: Record<string, number>;
    /** `version_destroy_ttl` in milliseconds, if set. */
    versionDestroyTtlMs?: number;
    expireTime?: Date;
    versions: VersionSnapshot[];
}

/** The inspection API of a running emulator. */
export class EmulatorInspector {
    constructor(private readonly store: SecretStore) {}

    /** The names of all secrets, in creation order. */
    secretNames(): string[] {
        this.store.settle();
        return [...this.store.secrets.values()]
            .sort((a, b) => a.sequence - b.sequence)
            .map((secret) => secret.name);
    }

    /** The secret called `name` (`projects/p/secrets/id`), or `undefined` if there is none. */
    secret(name: string): SecretSnapshot | undefined {
        this.store.settle();
        const secret = this.store.secrets.get(name);
        return secret ? snapshotSecret(secret) : undefined;
    }

    /** Version `number` of secret `name`, or `undefined`. */
    version(name: string, number: number): VersionSnapshot | undefined {
        return this.secret(name)?.versions.find((version) => version.number === number);
    }
}

function snapshotSecret(secret: StoredSecret): SecretSnapshot {
    const snapshot: SecretSnapshot = {
        name: secret.name,
        etag: secret.etag,
        createTime: new Date(secret.createTimeMs),
        labels: { ...secret.labels },
        annotations: { ...secret.annotations },
        versionAliases: { ...secret.versionAliases },
        versions: [...secret.versions.values()]
            .sort((a, b) => a.number - b.number)
            .map((version) => snapshotVersion(secret, version)),
    };
    if (secret.versionDestroyTtl) {
        const ttl = secret.versionDestroyTtl;
        snapshot.versionDestroyTtlMs = durationToMs(ttl, "version_destroy_ttl");
    }
    if (secret.expireTimeMs !== undefined) snapshot.expireTime = new Date(secret.expireTimeMs);
    return snapshot;
}

function snapshotVersion(secret: StoredSecret, version: StoredVersion): VersionSnapshot {
    const snapshot: VersionSnapshot = {
        name: `${secret.name}/versions/${version.number}`,
        number: version.number,
        state: version.state,
        etag: version.etag,
        createTime: new Date(version.createTimeMs),
        data: version.data ? Buffer.from(version.data) : undefined,
        crc32c: version.crc32c,
    };
    if (version.destroyTimeMs !== undefined) {
        snapshot.destroyTime = new Date(version.destroyTimeMs);
    }
    if (version.scheduledDestroyTimeMs !== undefined) {
        snapshot.scheduledDestroyTime = new Date(version.scheduledDestroyTimeMs);
    }
    return snapshot;
}
