/**
 * The emulator's in-memory state: every secret, its versions, and the counters that make etags
 * and list order.
 *
 * Every RPC reads and writes this store synchronously, between two awaits of the server, so each
 * call is atomic: two UpdateSecret calls carrying the same etag are applied one after the other,
 * and the second one sees the etag the first one wrote.
 */
import { notFound } from "./errors";
import type { Duration, Replication, VersionState } from "./messages";
import { EmulatorClock } from "./time";

/** One secret version as stored. The payload is dropped when the version is destroyed. */
export interface StoredVersion {
    number: number;
    createTimeMs: number;
    state: VersionState;
    data: Buffer | undefined;
    crc32c: number;
    clientSpecifiedChecksum: boolean;
    etag: string;
    destroyTimeMs?: number;
    scheduledDestroyTimeMs?: number;
}

/** One secret as stored. `sequence` orders secrets by creation, newest highest. */
export interface StoredSecret {
    name: string;
    parent: string;
    secretId: string;
    sequence: number;
    createTimeMs: number;
    replication: Replication | undefined;
    labels: Record<string, string>;
    annotations: Record<string, string>;
    versionAliases: Record<string, number>;
    versionDestroyTtl: Duration | undefined;
    expireTimeMs: number | undefined;
    topics: { name?: string }[];
    rotation: Record<string, unknown> | undefined;
    secretType: string | undefined;
    etag: string;
    versions: Map<number, StoredVersion>;
    lastVersionNumber: number;
}

/** All secrets of the emulator, keyed by resource name (`projects/p/secrets/id`). */
export class SecretStore {
    readonly secrets = new Map<string, StoredSecret>();
    private lastEtagMicros = 0;
    private lastSequence = 0;

    constructor(readonly clock: EmulatorClock) {}

    /**
     * A new etag, different from every etag handed out before. Like the real service's, it is a
     * quoted hexadecimal string (`"16259a1c2e8f40"`) that clients must treat as opaque.
     */
    newEtag(): string {
        this.lastEtagMicros = Math.max(this.lastEtagMicros + 1, this.clock.now() * 1000);
        return `"${this.lastEtagMicros.toString(16)}"`;
    }

    /** The next creation sequence number for a secret. */
    nextSequence(): number {
        return ++this.lastSequence;
    }

    /** The secret called `name`, or NOT_FOUND. */
    require(name: string): StoredSecret {
        const secret = this.secrets.get(name);
        if (!secret) throw notFound("Secret", name);
        return secret;
    }

    /**
     * Applies what time has made due: deletes secrets past their `expire_time` and finishes the
     * destruction of versions past their `scheduled_destroy_time`. Called before every RPC and
     * every inspection, so the effect is visible exactly when the clock says it should be.
     */
    settle(): void {
        const now = this.clock.now();
        for (const [name, secret] of this.secrets) {
            if (secret.expireTimeMs !== undefined && secret.expireTimeMs <= now) {
                this.secrets.delete(name);
                continue;
            }
            for (const version of secret.versions.values()) {
                const due = version.scheduledDestroyTimeMs;
                if (due !== undefined && due <= now) this.destroyNow(version, due);
            }
        }
    }

    /** Destroys a version for good: the payload is gone and the state can never change again. */
    destroyNow(version: StoredVersion, atMs: number): void {
        version.state = "DESTROYED";
        version.data = undefined;
        version.destroyTimeMs = atMs;
        version.scheduledDestroyTimeMs = undefined;
        version.etag = this.newEtag();
    }

    /** Forgets every secret (counters keep running, so etags stay unique across a reset). */
    clear(): void {
        this.secrets.clear();
    }
}
