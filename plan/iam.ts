/**
 * Who may do what, read off the IAM resources the stack program declared (never from a second
 * description of them): each binding's member, role and target, with the custom roles'
 * permissions taken from the recorded custom-role resources.
 */
import { RecordedResource, Recording } from "./mock-runtime";
import { compare, idOf, lastSegment, TYPES } from "./resources";

/** One IAM grant the stack would make. */
export interface Grant {
    /** Pulumi name of the binding resource. */
    resource: string;
    /** The IAM member, e.g. `serviceAccount:weather-bot@p.iam.gserviceaccount.com`. */
    member: string;
    role: string;
    /** What the role lets the member do, in words: `read`, `invoke`, a custom role's title. */
    ability: string;
    /** What the grant is on. */
    target: { kind: string; name: string };
    /** A custom role's permissions; absent for predefined roles. */
    permissions?: string[];
    /** Whether the member is anyone at all (`allUsers`, `allAuthenticatedUsers`). */
    public: boolean;
}

/** What the predefined roles the components grant let a member do. */
const ABILITIES: Record<string, string> = {
    "roles/secretmanager.secretAccessor": "read",
    "roles/secretmanager.secretVersionManager": "add and destroy versions of",
    "roles/run.invoker": "invoke",
    "roles/pubsub.publisher": "publish to",
    "roles/iam.serviceAccountTokenCreator": "create tokens as",
    "roles/serviceusage.apiKeysAdmin": "manage API keys in",
};

/** How each kind of IAM member resource names its target. */
type Target = Grant["target"];
const TARGETS: Record<string, (inputs: Record<string, any>, recording: Recording) => Target> = {
    "gcp:secretmanager/secretIamMember:SecretIamMember": (i) => ({
        kind: "secret",
        name: i.secretId,
    }),
    "gcp:projects/iAMMember:IAMMember": (i) => ({ kind: "project", name: i.project }),
    "gcp:pubsub/topicIAMMember:TopicIAMMember": (i) => ({
        kind: "topic",
        name: lastSegment(i.topic),
    }),
    "gcp:serviceaccount/iAMMember:IAMMember": (i) => ({
        kind: "service account",
        name: lastSegment(i.serviceAccountId),
    }),
    "gcp:cloudrunv2/serviceIamMember:ServiceIamMember": (i, recording) => {
        const service = lastSegment(i.name);
        // A 2nd gen function is a Cloud Run service of the same name.
        const isFunction = recording
            .ofType(TYPES.Function)
            .some((fn) => fn.inputs.name === service);
        return { kind: isFunction ? "function" : "Cloud Run service", name: service };
    },
};

const PUBLIC_MEMBERS = ["allUsers", "allAuthenticatedUsers"];

/** The grants among `resources`, sorted by target, then member. */
export function grantsOf(resources: RecordedResource[], recording: Recording): Grant[] {
    const customRoles = new Map(
        recording.ofType(TYPES.CustomRole).map((role) => [idOf(role), role.inputs]),
    );
    const grants: Grant[] = [];
    for (const resource of resources) {
        const { role } = resource.inputs;
        // IAM members and bindings of any service: a role, and one member or a list of them.
        if (typeof role !== "string" || !/iam(member|binding)/i.test(resource.type)) continue;
        const members: string[] = resource.inputs.members ?? [resource.inputs.member];
        const target =
            TARGETS[resource.type]?.(resource.inputs, recording) ?? genericTarget(resource);
        const custom = customRoles.get(role);
        for (const member of members.filter((m) => typeof m === "string")) {
            grants.push({
                resource: resource.name,
                member,
                role,
                target,
                // "keywarden dev: rotate a key's secret" -> "rotate a key's secret"
                ability: custom
                    ? String(custom.title).replace(/^[^:]*:\s*/, "")
                    : (ABILITIES[role] ?? `hold ${role} on`),
                permissions: custom ? [...custom.permissions] : undefined,
                public: PUBLIC_MEMBERS.includes(member),
            });
        }
    }
    return grants.sort(
        (a, b) =>
            compare(a.target.kind, b.target.kind) ||
            compare(a.target.name, b.target.name) ||
            compare(a.member, b.member) ||
            compare(a.role, b.role),
    );
}

/** A member as people read it: the email of a service account, else the member itself. */
export function memberLabel(member: string): string {
    return member.replace(/^serviceAccount:/, "");
}

/** The role as people read it: a custom role by its ID, a predefined role as is. */
export function roleLabel(grant: Grant): string {
    if (!grant.permissions) return grant.role;
    const count = grant.permissions.length;
    return `${lastSegment(grant.role)}: ${count} permission${count === 1 ? "" : "s"}`;
}

function genericTarget(resource: RecordedResource): Target {
    const { inputs } = resource;
    const name = inputs.secretId ?? inputs.topic ?? inputs.name ?? inputs.project ?? "?";
    return { kind: resource.type.replace(/^.*:/, ""), name: lastSegment(String(name)) };
}
