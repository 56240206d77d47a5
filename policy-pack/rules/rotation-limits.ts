/**
 * Rule `keywarden-rotation-limits`: every managed key rotates within the bounds a team sets.
 * Too long a rotation period defeats the point of rotating (and outlives providers' own key
 * expiry); too short a one burns provider quota and Secret Manager versions; a long grace
 * period keeps two valid keys around for longer than a leak should last.
 *
 * The bounds come from the pack's configuration, e.g. with
 * `pulumi preview --policy-pack ./policy-pack --policy-pack-config limits.json` and
 * `{"keywarden-rotation-limits": {"maxRotationPeriod": "90d"}}`.
 */
import { parseDuration } from "../../functions/rotator/policy/duration";
import { managedKeySecret, parseAnnotation } from "./managed-secrets";
import { ResourceRule } from "./rule";

/** The configurable bounds, as durations such as "30d" or "12h". */
export interface RotationLimits {
    /** Shortest rotation period allowed. Default "1d". */
    minRotationPeriod: string;
    /**
     * Longest rotation period allowed (for keys replaced by hand: the longest life of a key).
     * Default "180d".
     */
    maxRotationPeriod: string;
    /** Longest grace period allowed, while the previous key still works. Default "7d". */
    maxGracePeriod: string;
}

/** Bounds used for every limit the configuration leaves out. */
export const DEFAULT_LIMITS: RotationLimits = {
    minRotationPeriod: "1d",
    maxRotationPeriod: "180d",
    maxGracePeriod: "7d",
};

const RULE_NAME = "keywarden-rotation-limits";

// What the Pulumi CLI checks the configuration against before the pack runs.
const DURATION_SCHEMA = (description: string, fallback: string) => ({
    type: "string" as const,
    pattern: "^(\\d+w)?(\\d+d)?(\\d+h)?(\\d+m)?(\\d+s)?$",
    minLength: 2,
    default: fallback,
    description,
});

/** Refuses rotation and grace periods outside the team's limits. */
export const rotationLimitsRule: ResourceRule = {
    name: RULE_NAME,
    description:
        "Every managed key's rotation period and grace period are within the limits " +
        "the team configured (defaults: rotation every 1d to 180d, grace at most 7d).",
    enforcementLevel: "mandatory",
    severity: "medium",
    configSchema: {
        properties: {
            minRotationPeriod: DURATION_SCHEMA(
                "Shortest rotation period allowed.",
                DEFAULT_LIMITS.minRotationPeriod,
            ),
            maxRotationPeriod: DURATION_SCHEMA(
                "Longest rotation period allowed.",
                DEFAULT_LIMITS.maxRotationPeriod,
            ),
            maxGracePeriod: DURATION_SCHEMA(
                "Longest grace period allowed.",
                DEFAULT_LIMITS.maxGracePeriod,
            ),
        },
    },
    validateResource: (args, reportViolation) => {
        const secret = managedKeySecret(args.type, args.name, args.props);
        if (secret?.annotation === undefined) return;
        // An unreadable policy is the annotation rule's to report; this rule judges valid ones.
        const policy = parseAnnotation(secret.annotation);
        if (policy === undefined) return;
        const limits = resolveLimits(args.getConfig<Partial<RotationLimits>>());
        const subject = `secret "${secret.secretId}"`;
        const period = duration(policy.rotationPeriod);
        if (period !== undefined && period < limits.minRotationPeriod.ms) {
            reportViolation(
                `${subject} has rotationPeriod ${policy.rotationPeriod}, shorter ` +
                    `than this team's minRotationPeriod (${limits.minRotationPeriod.text}): ` +
                    "lengthen rotationPeriod in the bot's configuration, or lower the limit in " +
                    "the policy pack's configuration",
            );
        }
        if (period !== undefined && period > limits.maxRotationPeriod.ms) {
            reportViolation(
                `${subject} has rotationPeriod ${policy.rotationPeriod}, longer ` +
                    `than this team's maxRotationPeriod (${limits.maxRotationPeriod.text}): ` +
                    "shorten rotationPeriod in the bot's configuration, or raise the limit in " +
                    "the policy pack's configuration",
            );
        }
        const grace = duration(policy.gracePeriod);
        if (grace !== undefined && grace > limits.maxGracePeriod.ms) {
            reportViolation(
                `${subject} has gracePeriod ${policy.gracePeriod}, longer than ` +
                    `this team's maxGracePeriod (${limits.maxGracePeriod.text}): shorten ` +
                    "gracePeriod in the bot's configuration, or raise the limit in the policy " +
                    "pack's configuration",
            );
        }
    },
};

/** One limit: as configured, and in milliseconds. */
interface Limit {
    text: string;
    ms: number;
}

/**
 * The limits from the pack's configuration, defaults filled in. A configuration that is not
 * usable throws: the engine then fails the run with this message, instead of letting every
 * key pass (or fail) against limits nobody meant.
 */
export function resolveLimits(
    config: Partial<RotationLimits>,
): Record<keyof RotationLimits, Limit> {
    const resolved = {} as Record<keyof RotationLimits, Limit>;
    const problems: string[] = [];
    for (const field of Object.keys(DEFAULT_LIMITS) as (keyof RotationLimits)[]) {
        const text = config[field] ?? DEFAULT_LIMITS[field];
        const ms = parseDuration(text);
        if (typeof ms === "string") problems.push(`${field} ${ms}`);
        else resolved[field] = { text, ms };
    }
    const { minRotationPeriod: min, maxRotationPeriod: max } = resolved;
    if (min !== undefined && max !== undefined && min.ms > max.ms) {
        problems.push(
            `minRotationPeriod (${min.text}) is longer than maxRotationPeriod ` +
                `(${max.text}), so no key could pass: lower the one or raise the other`,
        );
    }
    if (problems.length > 0) {
        throw new Error(
            `the configuration of policy ${RULE_NAME} is not usable: ` + problems.join("; "),
        );
    }
    return resolved;
}

function duration(value: unknown): number | undefined {
    const ms = parseDuration(value);
    return typeof ms === "number" ? ms : undefined;
}
