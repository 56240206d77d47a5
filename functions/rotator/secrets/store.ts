/**
 * The rotator's view of Secret Manager: the handful of calls the protocol makes, over the
 * official client, with the service's error codes turned into outcomes the protocol acts on.
 *
 * Every call here is one RPC (except `listManaged`, which follows pages): the tick's cost in
 * Secret Manager calls is what the protocol asks for, no more.
 */
import type { SecretManagerServiceClient } from "@google-cloud/secret-manager";
import { crc32c } from "./crc32c";

/** A managed secret as listed: metadata only, never payloads. */
export interface SecretMeta {
    /** Full resource name, `projects/P/secrets/ID`. */
    name: string;
    id: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
    /** Version aliases, alias -> version number as a string. */
    aliases: Record<string, string>;
    etag: string;
    createTime?: Date;
}

/** One version's metadata. */
export interface VersionMeta {
    version: string;
    state: "ENABLED" | "DISABLED" | "DESTROYED" | "UNKNOWN";
    createTime?: Date;
}

/** The secret changed since it was read: another writer won the compare-and-set. */
export class EtagMismatch extends Error {
    constructor(secret: string) {
        super(
            `${secret} changed since it was read (etag mismatch): another caller is working on it`,
        );
        this.name = "EtagMismatch";
    }
}

/** gRPC status codes the store tells apart. */
const NOT_FOUND = 5;
const FAILED_PRECONDITION = 9;

/** Largest page Secret Manager serves, so that one call lists a whole fleet. */
const LIST_PAGE_SIZE = 25000;

export class SecretStore {
    constructor(
        private readonly client: SecretManagerServiceClient,
        readonly project: string,
    ) {}

    /** Closes the client's channels (tests and the sandbox; a function instance never closes). */
    close(): Promise<void> {
        return this.client.close();
    }

    /** Full resource name of a secret ID in this project. */
    nameOf(id: string): string {
        return `projects/${this.project}/secrets/${id}`;
    }

    /** Every secret carrying `label=value`, with labels, annotations and aliases inline. */
    async listManaged(label: string, value: string): Promise<SecretMeta[]> {
        const found: SecretMeta[] = [];
        let pageToken: string | undefined;
        do {
            const [secrets, , response] = await this.client.listSecrets(
                {
                    parent: `projects/${this.project}`,
                    filter: `labels.${label}=${value}`,
                    pageSize: LIST_PAGE_SIZE,
                    pageToken,
                },
                { autoPaginate: false },
            );
            for (const secret of secrets) found.push(toMeta(secret));
            pageToken = response?.nextPageToken || undefined;
        } while (pageToken);
        return found;
    }

    /** One secret's metadata, or undefined when it does not exist. */
    async get(id: string): Promise<SecretMeta | undefined> {
        try {
            const [secret] = await this.client.getSecret({ name: this.nameOf(id) });
            return toMeta(secret);
        } catch (error) {
            if (code(error) === NOT_FOUND) return undefined;
            throw error;
        }
    }

    /** Replaces the annotation map if the secret still has `etag`; returns the new etag. */
    async writeAnnotations(
        secret: SecretMeta,
        annotations: Record<string, string>,
    ): Promise<string> {
        return this.update(secret, { annotations }, "annotations");
    }

    /** Replaces the version aliases if the secret still has `etag`; returns the new etag. */
    async writeAliases(secret: SecretMeta, aliases: Record<string, string>): Promise<string> {
        const numeric = Object.fromEntries(Object.entries(aliases).map(([k, v]) => [k, Number(v)]));
        return this.update(secret, { versionAliases: numeric }, "version_aliases");
    }

    /** Adds a version holding `payload`, with its checksum so that the service checks integrity. */
    async addVersion(secretName: string, payload: string): Promise<string> {
        const data = Buffer.from(payload, "utf8");
        const [version] = await this.client.addSecretVersion({
            parent: secretName,
            payload: { data, dataCrc32c: crc32c(data) },
        });
        return versionNumber(version.name ?? "");
    }

    /** The payload of a version (number or alias), as text. Key material: never log it. */
    async access(secretName: string, version: string): Promise<string> {
        const [response] = await this.client.accessSecretVersion({
            name: `${secretName}/versions/${version}`,
        });
        const data = response.payload?.data;
        if (data === undefined || data === null) return "";
        return typeof data === "string" ? data : Buffer.from(data).toString("utf8");
    }

    /** Every version's number, state and creation time, newest first. */
    async listVersions(secretName: string): Promise<VersionMeta[]> {
        const [versions] = await this.client.listSecretVersions(
            { parent: secretName },
            { autoPaginate: true },
        );
        return versions
            .map((v) => ({
                version: versionNumber(v.name ?? ""),
                state: (typeof v.state === "string" ? v.state : "UNKNOWN") as VersionMeta["state"],
                createTime: toDate(v.createTime),
            }))
            .sort((a, b) => Number(b.version) - Number(a.version));
    }

    /** Disables a version; one already disabled or destroyed counts as done. */
    async disableVersion(secretName: string, version: string): Promise<void> {
        await this.tolerate(() =>
            this.client.disableSecretVersion({ name: `${secretName}/versions/${version}` }),
        );
    }

    /** Destroys a version (or schedules it, when the secret has delayed destruction). */
    async destroyVersion(secretName: string, version: string): Promise<void> {
        await this.tolerate(() =>
            this.client.destroySecretVersion({ name: `${secretName}/versions/${version}` }),
        );
    }

    private async update(secret: SecretMeta, fields: object, mask: string): Promise<string> {
        try {
            const [updated] = await this.client.updateSecret({
                secret: { name: secret.name, etag: secret.etag, ...fields },
                updateMask: { paths: [mask] },
            });
            return updated.etag ?? "";
        } catch (error) {
            if (
                code(error) === FAILED_PRECONDITION &&
                /etag/i.test(String((error as Error).message))
            ) {
                throw new EtagMismatch(secret.name);
            }
            throw error;
        }
    }

    /** Runs a version state change, treating "already in that state" answers as success. */
    private async tolerate(call: () => Promise<unknown>) {
        try {
            await call();
        } catch (error) {
            const status = code(error);
            if (status === NOT_FOUND || status === FAILED_PRECONDITION) return;
            throw error;
        }
    }
}

/** The gRPC status code of a client error, if any. */
export function code(error: unknown): number | undefined {
    const value = (error as { code?: unknown })?.code;
    return typeof value === "number" ? value : undefined;
}

function toMeta(
    secret: import("@google-cloud/secret-manager").protos.google.cloud.secretmanager.v1.ISecret,
): SecretMeta {
    const name = secret.name ?? "";
    const aliases: Record<string, string> = {};
    for (const [alias, version] of Object.entries(secret.versionAliases ?? {})) {
        aliases[alias] = String(version);
    }
    return {
        name,
        id: name.slice(name.lastIndexOf("/") + 1),
        labels: { ...(secret.labels ?? {}) },
        annotations: { ...(secret.annotations ?? {}) },
        aliases,
        etag: secret.etag ?? "",
        createTime: toDate(secret.createTime),
    };
}

function versionNumber(name: string): string {
    return name.slice(name.lastIndexOf("/") + 1);
}

function toDate(
    stamp: { seconds?: unknown; nanos?: number | null } | null | undefined,
): Date | undefined {
    if (!stamp || stamp.seconds === undefined || stamp.seconds === null) return undefined;
    return new Date(Number(stamp.seconds) * 1000 + Math.floor((stamp.nanos ?? 0) / 1e6));
}
