/**
 * The recorded resources of a stack, grouped by who declared them: the fleet (shared by every
 * bot) or one bot. Also the resource types the plan reads, and the names Google Cloud would
 * give each resource, which the mocks compute from the inputs.
 */
import { mockOutputs } from "./mock-outputs";
import { RecordedResource, Recording } from "./mock-runtime";

/** Type tokens of the resources the plan reads. */
export const TYPES = {
    Stack: "pulumi:pulumi:Stack",
    Fleet: "keywarden:index:Fleet",
    Bot: "keywarden:index:Bot",
    CustomRole: "gcp:projects/iAMCustomRole:IAMCustomRole",
    Secret: "gcp:secretmanager/secret:Secret",
    SecretVersion: "gcp:secretmanager/secretVersion:SecretVersion",
    Function: "gcp:cloudfunctionsv2/function:Function",
    Job: "gcp:cloudscheduler/job:Job",
    Channel: "gcp:monitoring/notificationChannel:NotificationChannel",
    AlertPolicy: "gcp:monitoring/alertPolicy:AlertPolicy",
    UptimeCheck: "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig",
    Subscription: "gcp:pubsub/subscription:Subscription",
    Topic: "gcp:pubsub/topic:Topic",
} as const;

/** Who declared a set of resources. */
export interface ResourceGroup {
    /** `fleet`: the shared part; `bot`: one bot; `stack`: declared outside any component. */
    kind: "fleet" | "bot" | "stack";
    /** The component's name (the bot's name for bots). */
    name: string;
    /** The component itself first, then its resources by type and name. */
    resources: RecordedResource[];
}

/** Groups every recorded resource (but the stack itself) under its fleet or bot component. */
export function groupResources(recording: Recording): ResourceGroup[] {
    const components = new Map<string, RecordedResource>();
    for (const resource of recording.resources) {
        if (resource.type === TYPES.Fleet || resource.type === TYPES.Bot) {
            components.set(resource.name, resource);
        }
    }
    const byName = new Map(recording.resources.map((resource) => [resource.name, resource]));
    const groups = new Map<string, ResourceGroup>();
    for (const resource of recording.resources) {
        if (resource.type === TYPES.Stack) continue;
        const owner = ownerOf(resource, components, byName);
        const key = owner ? `${owner.type}::${owner.name}` : "<stack>";
        let group = groups.get(key);
        if (!group) {
            const kind = !owner ? "stack" : owner.type === TYPES.Fleet ? "fleet" : "bot";
            group = { kind, name: owner?.name ?? "(stack)", resources: [] };
            groups.set(key, group);
        }
        group.resources.push(resource);
    }
    const order = { fleet: 0, bot: 1, stack: 2 };
    return [...groups.values()]
        .map((group) => ({ ...group, resources: group.resources.sort(byComponentTypeName) }))
        .sort((a, b) => order[a.kind] - order[b.kind] || compare(a.name, b.name));
}

/** The nearest fleet or bot component above `resource` (itself, for a component). */
function ownerOf(
    resource: RecordedResource,
    components: Map<string, RecordedResource>,
    byName: Map<string, RecordedResource>,
): RecordedResource | undefined {
    let current: RecordedResource | undefined = resource;
    for (let depth = 0; current && depth < 32; depth++) {
        if (current.type === TYPES.Fleet || current.type === TYPES.Bot) return current;
        if (current.parent === undefined || current.parent === "<stack>") return undefined;
        current = components.get(current.parent) ?? byName.get(current.parent);
    }
    return undefined;
}

function byComponentTypeName(a: RecordedResource, b: RecordedResource): number {
    const component = (r: RecordedResource) => (r.type.startsWith("keywarden:") ? 0 : 1);
    return component(a) - component(b) || compare(a.type, b.type) || compare(a.name, b.name);
}

/** Code-point order: the same output on every machine, whatever its locale. */
export function compare(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

/** A type token as `pulumi preview` shows it: `gcp:secretmanager/secret:Secret` becomes
 * `gcp:secretmanager:Secret`. */
export function shortType(type: string): string {
    return type.replace(/^([^:]+):([^/:]+)\/[^:]+:(.+)$/, "$1:$2:$3");
}

/** The ID Google Cloud would give `resource` (e.g. `projects/P/secrets/S`), as the mocks do. */
export function idOf(resource: RecordedResource): string {
    return mockOutputs(resource.type, resource.name, resource.inputs).id;
}

/** The output state of `resource` (e.g. a function's URI), as the mocks compute it. */
export function stateOf(resource: RecordedResource): Record<string, any> {
    return mockOutputs(resource.type, resource.name, resource.inputs).state;
}

/** The last segment of a resource name: `projects/P/secrets/S` -> `S`. */
export function lastSegment(name: string): string {
    return name.slice(name.lastIndexOf("/") + 1);
}
