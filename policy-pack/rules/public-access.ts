/**
 * Rule `keywarden-no-public-access`: nothing in the stack makes a secret readable, the
 * function (or any Cloud Run service or function) invokable, a topic or subscription usable,
 * or a bucket readable by everyone. A key secret readable by `allUsers` publishes the key; a
 * public invoker lets anyone trigger rotations.
 *
 * It covers every IAM member, binding and policy resource of Secret Manager, Cloud Run,
 * Cloud Functions, Pub/Sub and Cloud Storage, whoever declared them (not only keywarden's
 * components), and Cloud Storage's legacy ACL resources.
 */
import { known } from "./preview-values";
import { ResourceRule } from "./rule";

/** The members that mean "anyone", and who that is, for the message. */
export const PUBLIC_MEMBERS: Record<string, string> = {
    allUsers: "anyone on the internet",
    allAuthenticatedUsers: "anyone with a Google account",
};

/** Provider modules whose IAM resources the rule checks. */
export const CHECKED_MODULES = [
    "secretmanager",
    "cloudrun",
    "cloudrunv2",
    "cloudfunctions",
    "cloudfunctionsv2",
    "pubsub",
    "storage",
] as const;

// Type tokens look like `gcp:pubsub/topicIAMMember:TopicIAMMember`; the provider spells the
// suffix `Iam...` or `IAM...` depending on the module.
const IAM_TOKEN = new RegExp(
    `^gcp:(?:${CHECKED_MODULES.join("|")})/\\w+:\\w*I(?:am|AM)(Member|Binding|Policy)$`,
);
const ACL_TOKEN = /^gcp:storage\/\w+:(?:Bucket|Object|DefaultObject)(ACL|AccessControl)$/;

/** Canned ACLs that open a bucket or object to everyone. */
const PUBLIC_CANNED_ACLS = ["publicRead", "publicReadWrite", "authenticatedRead"];

/** One grant found on a resource: a role (or ACL role) and the member it goes to. */
interface Grant {
    role: string;
    member: string;
}

/** Refuses grants to `allUsers` and `allAuthenticatedUsers`. */
export const noPublicAccessRule: ResourceRule = {
    name: "keywarden-no-public-access",
    description:
        "No IAM member, binding or policy of Secret Manager, Cloud Run, Cloud " +
        "Functions, Pub/Sub or Cloud Storage (nor a Cloud Storage ACL) grants anything to " +
        "allUsers or allAuthenticatedUsers.",
    enforcementLevel: "mandatory",
    severity: "critical",
    validateResource: (args, reportViolation) => {
        const subject = `${args.type} "${args.name}"`;
        for (const grant of grantsOf(args.type, args.props)) {
            const who = PUBLIC_MEMBERS[grant.member];
            if (who === undefined) continue;
            reportViolation(
                `${subject} grants ${grant.role} to ${grant.member} ` +
                    `(${who}): grant it to a named service account, user or group instead`,
            );
        }
        const canned = ACL_TOKEN.test(args.type)
            ? known(() => args.props.predefinedAcl)
            : undefined;
        if (typeof canned === "string" && PUBLIC_CANNED_ACLS.includes(canned)) {
            reportViolation(
                `${subject} applies the canned ACL ${canned}, which opens it to ` +
                    "everyone: use uniform bucket-level access and grant roles to named members",
            );
        }
    },
};

/** Every grant a resource of `type` declares; grants preview cannot read yet are skipped. */
function grantsOf(type: string, props: Record<string, any>): Grant[] {
    const iam = IAM_TOKEN.exec(type);
    if (iam?.[1] === "Member") {
        return [{ role: text(() => props.role, "a role"), member: text(() => props.member) }];
    }
    if (iam?.[1] === "Binding") {
        const role = text(() => props.role, "a role");
        return list(() => props.members).map((member) => ({ role, member }));
    }
    if (iam?.[1] === "Policy") return policyGrants(known(() => props.policyData));
    const acl = ACL_TOKEN.exec(type);
    if (acl?.[1] === "AccessControl") {
        return [{ role: text(() => props.role, "a role"), member: text(() => props.entity) }];
    }
    if (acl?.[1] === "ACL") {
        // Entries read "ROLE:entity", e.g. "READER:allUsers".
        return list(() => props.roleEntities).map((entry) => {
            const colon = entry.indexOf(":");
            return { role: entry.slice(0, colon), member: entry.slice(colon + 1) };
        });
    }
    return [];
}

/** Grants of an IAM policy document (`policyData`, JSON with `bindings[].members`). */
function policyGrants(policyData: unknown): Grant[] {
    if (typeof policyData !== "string") return [];
    let policy: { bindings?: { role?: unknown; members?: unknown }[] };
    try {
        policy = JSON.parse(policyData);
    } catch {
        // Not JSON: the provider refuses it before anything is granted.
        return [];
    }
    const bindings = Array.isArray(policy?.bindings) ? policy.bindings : [];
    return bindings.flatMap((binding) =>
        (Array.isArray(binding?.members) ? binding.members : [])
            .filter((member): member is string => typeof member === "string")
            .map((member) => ({ role: String(binding.role ?? "a role"), member })),
    );
}

/** The string `reader` returns; `fallback` when it is not a string or not known yet. */
function text(reader: () => unknown, fallback = ""): string {
    const value = known(reader);
    return typeof value === "string" ? value : fallback;
}

/** The strings of the array `reader` returns, leaving out entries not known yet. */
function list(reader: () => unknown): string[] {
    const value = known(reader);
    if (!Array.isArray(value)) return [];
    // Each entry is read on its own: one unknown member must not hide a known public one.
    const entries: string[] = [];
    for (let index = 0; index < value.length; index += 1) {
        const entry = known(() => value[index]);
        if (typeof entry === "string") entries.push(entry);
    }
    return entries;
}
