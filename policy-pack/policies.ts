/**
 * keywarden's rules, in the order the pack reports them. Teams that build their own pack can
 * import this list (or single rules from `rules/`) and add it to theirs.
 */
import { policyAnnotationRule } from "./rules/policy-annotation";
import { noPublicAccessRule } from "./rules/public-access";
import { rotationLimitsRule } from "./rules/rotation-limits";
import { ResourceRule, StackRule } from "./rules/rule";
import { uptimeChecksRule } from "./rules/uptime-checks";

/** Every rule of the keywarden policy pack. */
export const KEYWARDEN_POLICIES: readonly (ResourceRule | StackRule)[] = [
    policyAnnotationRule,
    noPublicAccessRule,
    rotationLimitsRule,
    uptimeChecksRule,
];
