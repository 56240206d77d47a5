/**
 * AddSecretVersion, GetSecretVersion, ListSecretVersions and AccessSecretVersion, and how a
 * version reference (`3`, `latest`, `current`) resolves to a version.
 *
 * `latest` means what the proto says: the most recently created version, whatever its state.
 * It does not skip a disabled or destroyed newest version, so accessing `latest` then fails with
 * FAILED_PRECONDITION. A rotator must therefore never leave the newest version disabled.
 */
import { crc32c } from "./crc32c";
import { failedPrecondition, invalidArgument, notFound } from "./errors";
import { type FilterRules, matchesFilter, parseFilter } from "./filter";
import type { AddSecretVersionRequest, ListRequest, NamedRequest } from "./messages";
import { parseSecretName, parseVersionName } from "./names";
import { takePage } from "./pagination";
import { versionMessage, versionName } from "./resources";
import type { SecretStore, StoredSecret, StoredVersion } from "./store";
import { checkPayloadSize } from "./validation";

/** ListSecretVersions filters on `state` (`state:ENABLED`, `NOT state:DESTROYED`) and name. */
const VERSION_FILTER: FilterRules = {
    supports: (field) => field === "state" || field === "name",
    description: "supported fields: state, name",
    containsFields: ["name"],
    caseInsensitiveFields: ["state"],
};

/** A version reference resolved: the secret and the version it designates. */
export interface ResolvedVersion {
    secret: StoredSecret;
    version: StoredVersion;
    name: string;
}

/** Resolves a version name whose last segment is a number, `latest` or an alias. */
export function resolveVersion(store: SecretStore, fullName: string | undefined): ResolvedVersion {
    const { secretName, version: reference } = parseVersionName(fullName, "name");
    const secret = store.require(secretName);
    let number: number | undefined;
    if (reference === "latest") {
        number = secret.versions.size > 0 ? secret.lastVersionNumber : undefined;
    } else if (/^[0-9]+$/.test(reference)) {
        number = Number(reference);
    } else {
        const aliases = secret.versionAliases;
        number = Object.hasOwn(aliases, reference) ? aliases[reference] : undefined;
    }
    const version = number === undefined ? undefined : secret.versions.get(number);
    if (!version) throw notFound("Secret Version", fullName ?? "");
    return { secret, version, name: versionName(secret, version.number) };
}

/** Adds an ENABLED version holding `payload.data`, numbered one past the last version. */
export function addSecretVersion(store: SecretStore, request: AddSecretVersionRequest) {
    const { name } = parseSecretName(request.parent, "parent");
    const secret = store.require(name);
    if (!request.payload) throw invalidArgument("payload", "is required");
    const data = Buffer.from(request.payload.data ?? Buffer.alloc(0));
    checkPayloadSize(data);
    const actual = crc32c(data);
    const claimed = request.payload.dataCrc32c;
    if (claimed !== undefined && Number(claimed) !== actual) {
        throw invalidArgument(
            "payload.data_crc32c",
            "does not match the CRC32C of payload.data; the data was corrupted in transit or " +
                "the checksum was computed over different bytes",
        );
    }
    const version: StoredVersion = {
        number: ++secret.lastVersionNumber,
        createTimeMs: store.clock.now(),
        state: "ENABLED",
        data,
        crc32c: actual,
        clientSpecifiedChecksum: claimed !== undefined,
        etag: store.newEtag(),
    };
    secret.versions.set(version.number, version);
    return versionMessage(secret, version);
}

/** Reads one version's metadata, whatever its state. */
export function getSecretVersion(store: SecretStore, request: NamedRequest) {
    const { secret, version } = resolveVersion(store, request.name);
    return versionMessage(secret, version);
}

/** Lists a secret's versions, newest first, filtered and paged. Never returns payloads. */
export function listSecretVersions(store: SecretStore, request: ListRequest) {
    const { name } = parseSecretName(request.parent, "parent");
    const secret = store.require(name);
    const filter = request.filter ?? "";
    const terms = parseFilter(filter, VERSION_FILTER);
    const all = [...secret.versions.values()]
        .sort((a, b) => b.number - a.number)
        .map((version) => ({ version, sequence: version.number }));
    const matching = all.filter(({ version }) =>
        matchesFilter(
            terms,
            (field) => (field === "state" ? version.state : versionName(secret, version.number)),
            VERSION_FILTER,
        ),
    );
    const page = takePage(matching, request.pageSize, request.pageToken, `${name}?${filter}`);
    return {
        versions: page.items.map(({ version }) => versionMessage(secret, version)),
        nextPageToken: page.nextPageToken,
        totalSize: filter.trim() ? 0 : all.length,
    };
}

/**
 * Returns a version's payload and its CRC32C. The version must be ENABLED: a DISABLED or
 * DESTROYED one fails with FAILED_PRECONDITION. The response names the resolved version
 * (`.../versions/3`), not the alias or `latest` that was asked for.
 */
export function accessSecretVersion(store: SecretStore, request: NamedRequest) {
    const { version, name } = resolveVersion(store, request.name);
    if (version.state !== "ENABLED" || !version.data) {
        throw failedPrecondition(`Secret Version [${name}] is in ${version.state} state.`);
    }
    return {
        name,
        payload: { data: Buffer.from(version.data), dataCrc32c: String(version.crc32c) },
    };
}
