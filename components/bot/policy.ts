/**
 * The rotation policy a bot's key carries in its `keywarden-policy` annotation, checked with
 * the function's own validator, so that a policy the function would refuse fails at
 * `pulumi preview` instead of on the first tick.
 */
import { validatePolicy } from "../../functions/rotator/policy/validate";
import {
    POLICY_ANNOTATION,
    POLICY_SCHEMA,
    RotationPolicy,
} from "../../functions/rotator/policy/types";
import { Problems } from "../problems";
import { BotSecretArgs } from "./args";

/** Secret Manager's limit on the keys and values of one secret's annotations, in bytes. */
export const ANNOTATION_LIMIT_BYTES = 16 * 1024;

/** The policy of one key, before checking. */
export function buildPolicy(
    bot: string,
    secret: BotSecretArgs,
    stateSecret: string,
    adminSecret: string | undefined,
    healthUrl: string | undefined,
): RotationPolicy {
    const policy: RotationPolicy = {
        schema: POLICY_SCHEMA,
        bot,
        stateSecret,
        rotator: secret.rotator,
        rotationPeriod: secret.rotationPeriod,
        gracePeriod: secret.gracePeriod,
    };
    // Optional fields are left out rather than written as null: the function's validator
    // tells a missing field from a wrong one.
    if (secret.reminderLead !== undefined) policy.reminderLead = secret.reminderLead;
    if (adminSecret !== undefined) policy.adminSecret = adminSecret;
    if (healthUrl !== undefined) policy.healthUrl = healthUrl;
    if (secret.keyLifetime !== undefined) policy.keyLifetime = secret.keyLifetime;
    return policy;
}

/**
 * Checks a policy with the function's validator and against the annotation size limit.
 * Problems are recorded under `at` (e.g. `secrets.api`), each starting with the policy field,
 * which is also the argument's name. Returns the annotation's JSON when it is usable.
 */
export function checkPolicy(policy: RotationPolicy, at: Problems): string | undefined {
    const check = validatePolicy(policy);
    for (const problem of check.problems) at.add(problem);
    const json = JSON.stringify(policy);
    const bytes = Buffer.byteLength(POLICY_ANNOTATION, "utf8") + Buffer.byteLength(json, "utf8");
    if (bytes >= ANNOTATION_LIMIT_BYTES) {
        at.add(
            `rotator makes a policy annotation of ${bytes} bytes; Secret Manager keeps a ` +
                `secret's annotations under ${ANNOTATION_LIMIT_BYTES} bytes (16 KiB): shorten ` +
                `the ` +
                "rotator spec (fewer headers, shorter bodies) or use a preset",
        );
    }
    return check.problems.length === 0 && bytes < ANNOTATION_LIMIT_BYTES ? json : undefined;
}
