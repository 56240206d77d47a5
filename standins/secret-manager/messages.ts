/**
 * The shapes of the Secret Manager messages as the emulator's gRPC layer decodes and encodes
 * them: field names in lowerCamelCase, 64-bit integers as decimal strings, enums as their names,
 * absent fields as `undefined` (see the loader options in protos.ts). Only the fields the
 * emulator reads or writes are listed; everything else passes through untouched or is ignored.
 */

/** `google.protobuf.Timestamp`. */
export interface Timestamp {
    seconds?: string | number;
    nanos?: number;
}

/** `google.protobuf.Duration`. */
export interface Duration {
    seconds?: string | number;
    nanos?: number;
}

/** The replication policy, kept as the client sent it (the emulator replicates nowhere). */
export interface Replication {
    automatic?: Record<string, unknown>;
    userManaged?: { replicas?: { location?: string }[] };
}

/** The states a secret version can be in. */
export type VersionState = "ENABLED" | "DISABLED" | "DESTROYED";

/** `google.cloud.secretmanager.v1.Secret`. */
export interface SecretMessage {
    name?: string;
    replication?: Replication;
    createTime?: Timestamp;
    labels?: Record<string, string>;
    topics?: { name?: string }[];
    expireTime?: Timestamp;
    ttl?: Duration;
    etag?: string;
    rotation?: Record<string, unknown>;
    versionAliases?: Record<string, string | number>;
    annotations?: Record<string, string>;
    versionDestroyTtl?: Duration;
    secretType?: string;
}

/** `google.cloud.secretmanager.v1.SecretVersion`. */
export interface SecretVersionMessage {
    name: string;
    createTime: Timestamp;
    destroyTime?: Timestamp;
    state: VersionState;
    replicationStatus?: Record<string, unknown>;
    etag: string;
    clientSpecifiedPayloadChecksum: boolean;
    scheduledDestroyTime?: Timestamp;
}

/** `google.cloud.secretmanager.v1.SecretPayload`. */
export interface SecretPayload {
    data?: Buffer;
    dataCrc32c?: string | number;
}

/** Request of ListSecrets and ListSecretVersions (`parent` is a project or a secret). */
export interface ListRequest {
    parent?: string;
    pageSize?: number;
    pageToken?: string;
    filter?: string;
}

/** Request of CreateSecret. */
export interface CreateSecretRequest {
    parent?: string;
    secretId?: string;
    secret?: SecretMessage;
}

/** Request of UpdateSecret. */
export interface UpdateSecretRequest {
    secret?: SecretMessage;
    updateMask?: { paths?: string[] };
}

/** Request of GetSecret, DeleteSecret and of every call that names one version. */
export interface NamedRequest {
    name?: string;
    etag?: string;
}

/** Request of AddSecretVersion. */
export interface AddSecretVersionRequest {
    parent?: string;
    payload?: SecretPayload;
}
