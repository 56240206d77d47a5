/**
 * The Secret Manager part of the cost estimate: active versions of each recorded secret, by
 * replication location, in steady state; and the function's own reads of admin credentials
 * and hand-replaced keys.
 */
import { parseDuration } from "../functions/rotator/policy/duration";
import { POLICY_ANNOTATION, RotationPolicy } from "../functions/rotator/policy/types";
import type { CostLine } from "./cost";
import { RecordedResource, Recording } from "./mock-runtime";
import { AUTO_REPLICATION_BILLED_LOCATIONS, costOf, HOURS_PER_MONTH, PRICES } from "./prices";
import { idOf, TYPES } from "./resources";

const MONTH_MS = HOURS_PER_MONTH * 3600_000;

/** What the secret lines add besides lines: facts the reader should know. */
export interface SecretCost {
    lines: CostLine[];
    notes: string[];
    warnings: string[];
}

/**
 * Secret versions and access operations. A rotated key's secret holds its current version
 * always, the previous one for the grace period after each rotation, and the retired one,
 * disabled (still billed), until it is destroyed `versionDestroyTtl` later: on average
 * 1 + (grace + destroy delay) / rotation period versions. Other secrets hold the versions the
 * program declares for them; state secrets hold none.
 */
export function secretCosts(
    recording: Recording,
    groupOf: (r: RecordedResource) => string,
): SecretCost {
    const result: SecretCost = { lines: [], notes: [], warnings: [] };
    const policies = recording.ofType(TYPES.Secret).flatMap((secret) => {
        const policy = policyOf(secret);
        return policy ? [{ secret, policy }] : [];
    });
    const declaredIds = new Set(recording.ofType(TYPES.Secret).map((s) => s.inputs.secretId));
    for (const secret of recording.ofType(TYPES.Secret)) {
        const locations = billedLocations(secret);
        const policy = policyOf(secret);
        let versions: number;
        let detail: string;
        if (policy) {
            const period = ms(policy.rotationPeriod);
            const grace = ms(policy.gracePeriod);
            const delay = ms(secret.inputs.versionDestroyTtl);
            versions = 1 + (grace + delay) / period;
            detail =
                `current; previous ${policy.gracePeriod} after each ${policy.rotationPeriod}` +
                ` rotation; retired kept disabled ${days(secret.inputs.versionDestroyTtl)}`;
        } else {
            const id = idOf(secret);
            versions = recording
                .ofType(TYPES.SecretVersion)
                .filter((version) => version.inputs.secret === id).length;
            // An OAuth rotator adds a version per refresh and destroys the spent ones, so its
            // admin secret keeps the one declared version's count in steady state.
            detail = "versions declared by the program";
        }
        if (versions === 0) continue;
        result.lines.push({
            group: groupOf(secret),
            item: "secret versions",
            subject: secret.inputs.secretId,
            quantity: versions * locations,
            unit: "version-months",
            price: "secretVersion",
            detail:
                `${formatCount(versions)} version${versions === 1 ? "" : "s"} (${detail}) x ` +
                `${locations} location${locations === 1 ? "" : "s"}`,
            usd: costOf(PRICES.secretVersion, versions * locations),
        });
    }
    for (const { secret, policy } of policies) {
        const reads = functionReads(policy);
        if (reads.count > 0) {
            result.lines.push({
                group: groupOf(secret),
                item: "secret access",
                subject: secret.inputs.secretId,
                quantity: reads.count,
                unit: "access operations",
                price: "secretAccess",
                detail: `${formatCount(reads.count)} reads a month by the function (${reads.why})`,
                usd: costOf(PRICES.secretAccess, reads.count),
            });
        }
    }
    const existing = [
        ...new Set(
            policies
                .map(({ policy }) => policy.adminSecret)
                .filter((id): id is string => id !== undefined && !declaredIds.has(id)),
        ),
    ].sort();
    if (existing.length > 0) {
        result.notes.push(
            "Existing secrets named by adminSecret are not created by this stack " +
                `and not counted: ${existing.join(", ")}.`,
        );
    }
    return result;
}

/**
 * Reads of secrets by the function for one key, a month: the admin credential when a key is
 * created and again when the previous one is revoked; for a key replaced by hand, the new
 * version once, to verify it. Bots' own reads of their keys are not known here.
 */
function functionReads(policy: RotationPolicy): { count: number; why: string } {
    const rotations = MONTH_MS / ms(policy.rotationPeriod);
    if (policy.rotator.kind === "manual") {
        return { count: rotations, why: "the new key, once per replacement" };
    }
    if (policy.adminSecret !== undefined) {
        return { count: 2 * rotations, why: "the admin credential, to create and to revoke" };
    }
    return { count: 0, why: "" };
}

/** The policy annotation of a key's secret, or undefined for any other secret. */
function policyOf(secret: RecordedResource): RotationPolicy | undefined {
    const json = secret.inputs.annotations?.[POLICY_ANNOTATION];
    return typeof json === "string" ? (JSON.parse(json) as RotationPolicy) : undefined;
}

function billedLocations(secret: RecordedResource): number {
    const replicas = secret.inputs.replication?.userManaged?.replicas;
    return Array.isArray(replicas) ? replicas.length : AUTO_REPLICATION_BILLED_LOCATIONS.locations;
}

/** Milliseconds of a policy duration ("30d") or a Google duration ("604800s"); 0 when absent. */
function ms(text: unknown): number {
    if (text === undefined) return 0;
    const google = /^(\d+(?:\.\d+)?)s$/.exec(String(text));
    if (google) return Number(google[1]) * 1000;
    const parsed = parseDuration(text);
    if (typeof parsed === "string") throw new Error(`unreadable duration ${String(text)}`);
    return parsed;
}

function days(ttl: unknown): string {
    if (ttl === undefined) return "0d";
    return `${formatCount(ms(ttl) / 86_400_000)}d`;
}

/** A count for the reader: thousands separated, two decimals at most. */
export function formatCount(value: number): string {
    return value.toLocaleString("en-US", { maximumFractionDigits: 2 });
}
