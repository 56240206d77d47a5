/**
 * EnableSecretVersion, DisableSecretVersion and DestroySecretVersion: the version state machine.
 *
 *     ENABLED <-> DISABLED --> DESTROYED (final: the payload is gone)
 *     ENABLED or DISABLED --(destroy, secret has version_destroy_ttl)--> DISABLED, scheduled
 *
 * Each call takes an optional version etag; a mismatch fails with FAILED_PRECONDITION and
 * changes nothing. A change of state gives the version a new etag.
 *
 * Delayed destruction: when the secret has a `version_destroy_ttl`, Destroy disables the version
 * and sets `scheduled_destroy_time`; the payload stays until that time, and Enable before then
 * cancels the destruction (the version is restorable). The store finishes due destructions.
 *
 * Aliases and destruction: the proto says access by alias resolves to the aliased version and
 * that a DESTROYED version can never come back, so an alias on a destroyed version could only
 * ever fail. The emulator refuses to destroy (or schedule the destruction of) a version that an
 * alias still points at, with FAILED_PRECONDITION naming the aliases: move or remove them with
 * UpdateSecret first. This is the strict reading; a rotator that moves its aliases first works
 * whether the real service refuses or removes the alias.
 */
import { etagMismatch, failedPrecondition } from "./errors";
import type { NamedRequest, SecretVersionMessage } from "./messages";
import { versionMessage } from "./resources";
import { type ResolvedVersion, resolveVersion } from "./version-handlers";
import type { SecretStore } from "./store";
import { durationToMs } from "./time";

/** Resolves the version and checks the optional etag and that it is not destroyed. */
function target(store: SecretStore, request: NamedRequest, action: string): ResolvedVersion {
    const resolved = resolveVersion(store, request.name);
    if (request.etag && request.etag !== resolved.version.etag) {
        throw etagMismatch(resolved.name, request.etag);
    }
    if (resolved.version.state === "DESTROYED") {
        throw failedPrecondition(
            `Secret Version [${resolved.name}] is DESTROYED and cannot be ${action}.`,
        );
    }
    return resolved;
}

/** Makes a version accessible again; cancels a scheduled destruction. */
export function enableSecretVersion(store: SecretStore, request: NamedRequest) {
    const { secret, version } = target(store, request, "enabled");
    if (version.state !== "ENABLED" || version.scheduledDestroyTimeMs !== undefined) {
        version.state = "ENABLED";
        version.scheduledDestroyTimeMs = undefined;
        version.etag = store.newEtag();
    }
    return versionMessage(secret, version);
}

/** Makes a version inaccessible while keeping its payload. */
export function disableSecretVersion(store: SecretStore, request: NamedRequest) {
    const { secret, version } = target(store, request, "disabled");
    if (version.state !== "DISABLED") {
        version.state = "DISABLED";
        version.etag = store.newEtag();
    }
    return versionMessage(secret, version);
}

/** Destroys a version now, or schedules it when the secret has a `version_destroy_ttl`. */
export function destroySecretVersion(
    store: SecretStore,
    request: NamedRequest,
): SecretVersionMessage {
    const { secret, version, name } = target(store, request, "destroyed again");
    if (version.scheduledDestroyTimeMs !== undefined) {
        throw failedPrecondition(
            `Secret Version [${name}] is already scheduled for destruction; enable it to cancel.`,
        );
    }
    const aliases = Object.keys(secret.versionAliases).filter(
        (alias) => secret.versionAliases[alias] === version.number,
    );
    if (aliases.length > 0) {
        throw failedPrecondition(
            `Secret Version [${name}] is the target of alias(es) ${aliases.join(", ")}; move ` +
                "or remove them with UpdateSecret (version_aliases) before destroying it.",
        );
    }
    const now = store.clock.now();
    const ttlMs = secret.versionDestroyTtl
        ? durationToMs(secret.versionDestroyTtl, "secret.version_destroy_ttl")
        : 0;
    if (ttlMs > 0) {
        version.state = "DISABLED";
        version.scheduledDestroyTimeMs = now + ttlMs;
        version.etag = store.newEtag();
    } else {
        store.destroyNow(version, now);
    }
    return versionMessage(secret, version);
}
