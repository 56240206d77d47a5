/**
 * How the rules recognise the secrets keywarden rotates: Secret Manager secrets labelled with
 * a fleet (`keywarden-fleet`) and the role `key`. Their companion state secrets (role `state`)
 * carry no policy and are left alone.
 */
import { FLEET_LABEL, POLICY_ANNOTATION, ROLE_LABEL } from "../../functions/rotator/policy/types";
import { known, read } from "./preview-values";

/** Type token of a Secret Manager secret. */
export const SECRET_TYPE = "gcp:secretmanager/secret:Secret";

/** Type token of a Cloud Monitoring uptime check. */
export const UPTIME_CHECK_TYPE = "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig";

/** A secret holding a bot's key, as the rules see it. */
export interface ManagedKeySecret {
    /** The secret ID, or the Pulumi resource name while preview does not know the ID. */
    secretId: string;
    /** Value of the fleet label. */
    fleet: string;
    /** Text of the `keywarden-policy` annotation; undefined when it is missing or not known. */
    annotation?: string;
    /** Whether preview knows the annotations (when not, no rule may conclude anything). */
    annotationKnown: boolean;
}

/**
 * The managed key secret described by `type` and `props`, or undefined when the resource is
 * anything else (another type, no fleet label, another role, or labels preview does not know).
 */
export function managedKeySecret(
    type: string,
    name: string,
    props: Record<string, any>,
): ManagedKeySecret | undefined {
    if (type !== SECRET_TYPE) return undefined;
    const labels = known(() => plainRecord(props.labels));
    const fleet = known(() => labels?.[FLEET_LABEL]);
    const role = known(() => labels?.[ROLE_LABEL]);
    if (typeof fleet !== "string" || fleet === "" || role !== "key") return undefined;
    const secretId = known(() => props.secretId);
    const annotation = read(() => plainRecord(props.annotations)?.[POLICY_ANNOTATION]);
    return {
        secretId: typeof secretId === "string" ? secretId : name,
        fleet,
        annotation:
            annotation.known && typeof annotation.value === "string" ? annotation.value : undefined,
        annotationKnown: annotation.known,
    };
}

/** The parsed annotation JSON as a record, or undefined when it is not a JSON object. */
export function parseAnnotation(text: string): Record<string, unknown> | undefined {
    try {
        const value: unknown = JSON.parse(text);
        return plainRecord(value);
    } catch {
        return undefined;
    }
}

function plainRecord(value: unknown): Record<string, any> | undefined {
    return typeof value === "object" && value !== null && !Array.isArray(value)
        ? (value as Record<string, any>)
        : undefined;
}
