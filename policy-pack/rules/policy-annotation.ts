/**
 * Rule `keywarden-policy-annotation`: every secret labelled as a keywarden key carries a
 * rotation policy the rotation function accepts. The function skips (and alerts on) a key
 * whose policy it refuses, so a bad or missing annotation means a key that silently stops
 * rotating; caught here, it fails the preview instead.
 */
import { POLICY_ANNOTATION } from "../../functions/rotator/policy/types";
import { parsePolicyAnnotation } from "../../functions/rotator/policy/validate";
import { managedKeySecret } from "./managed-secrets";
import { ResourceRule } from "./rule";

/** Checks the `keywarden-policy` annotation of every managed key secret. */
export const policyAnnotationRule: ResourceRule = {
    name: "keywarden-policy-annotation",
    description:
        "Every secret labelled keywarden-fleet and keywarden-role=key carries a " +
        `${POLICY_ANNOTATION} annotation that the rotation function accepts.`,
    enforcementLevel: "mandatory",
    severity: "high",
    validateResource: (args, reportViolation) => {
        const secret = managedKeySecret(args.type, args.name, args.props);
        if (secret === undefined || !secret.annotationKnown) return;
        const subject = `secret "${secret.secretId}"`;
        if (secret.annotation === undefined) {
            reportViolation(
                `${subject} is labelled as a keywarden key of fleet ` +
                    `"${secret.fleet}" but has no ${POLICY_ANNOTATION} annotation, so it will ` +
                    `never ` +
                    "be rotated: declare it with keywarden's Bot component, or remove the " +
                    "keywarden-fleet label if keywarden should not manage it",
            );
            return;
        }
        // The same validator the function runs on every tick: what passes here, it accepts.
        for (const problem of parsePolicyAnnotation(secret.annotation).problems) {
            reportViolation(
                `${subject} has a ${POLICY_ANNOTATION} annotation the rotation ` +
                    `function would refuse: ${problem}`,
            );
        }
    },
};
