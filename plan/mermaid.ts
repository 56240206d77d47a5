/**
 * A Mermaid flowchart of the stack: the fleet and each bot as a box of their resources, the
 * IAM grants as labelled arrows from who holds them to what they are on, and the paths from
 * the tick job to the function and from the alert policies to Slack. Everything is read off
 * the recording and the grants derived from it.
 */
import { AlertRoute } from "./alerts";
import { Grant, memberLabel } from "./iam";
import { RecordedResource, Recording } from "./mock-runtime";
import { idOf, lastSegment, ResourceGroup, stateOf, TYPES } from "./resources";

/** Builds the diagram's Mermaid source. */
export function mermaidDiagram(
    recording: Recording,
    groups: ResourceGroup[],
    grants: Grant[],
    routes: AlertRoute[],
): string {
    const graph = new Graph();
    const fns = recording.ofType(TYPES.Function);
    const fnOf = (url: string) => fns.find((fn) => url.startsWith(String(stateOf(fn).url)));
    // Who acts as each service account: the function as its runtime identity, the job and the
    // push subscription as the identity of their OIDC tokens.
    const actors = new Map<string, string>();
    for (const [index, group] of groups.entries()) {
        const title = group.kind === "bot" ? `Bot ${group.name}` : `Fleet ${group.name} (shared)`;
        graph.lines.push(`  subgraph g${index}["${escapeLabel(title)}"]`);
        for (const resource of group.resources) {
            const label = labelOf(resource);
            if (label === undefined) continue;
            graph.lines.push(`    ${graph.inside(keyOf(resource), label)}`);
            const acting =
                resource.inputs.serviceConfig?.serviceAccountEmail ??
                resource.inputs.httpTarget?.oidcToken?.serviceAccountEmail ??
                resource.inputs.pushConfig?.oidcToken?.serviceAccountEmail;
            if (acting) actors.set(acting, keyOf(resource));
        }
        if (group.resources.some((r) => r.type === TYPES.AlertPolicy)) {
            const titles = routes.map((route) => route.title.replace(/^[^:]*:\s*/, ""));
            const label = `${routes.length} alert policies<br/>${titles.join("<br/>")}`;
            graph.lines.push(`    ${graph.inside("alerts", label)}`);
        }
        graph.lines.push("  end");
    }
    for (const job of recording.ofType(TYPES.Job)) {
        const fn = fnOf(String(job.inputs.httpTarget?.uri ?? ""));
        if (fn) graph.edge(keyOf(job), keyOf(fn), "POST /tick");
    }
    for (const subscription of recording.ofType(TYPES.Subscription)) {
        const topic = recording
            .ofType(TYPES.Topic)
            .find((t) => idOf(t) === subscription.inputs.topic);
        if (topic) graph.edge(keyOf(topic), keyOf(subscription), "");
        const fn = fnOf(String(subscription.inputs.pushConfig?.pushEndpoint ?? ""));
        if (fn) graph.edge(keyOf(subscription), keyOf(fn), "push /relay");
    }
    for (const channel of recording.ofType(TYPES.Channel)) {
        graph.edge("alerts", keyOf(channel), "incidents");
        if (channel.inputs.type === "slack") graph.edge(keyOf(channel), slack(graph), "");
        const topic = recording
            .ofType(TYPES.Topic)
            .find((t) => idOf(t) === channel.inputs.labels?.topic);
        if (topic) graph.edge(keyOf(channel), keyOf(topic), "publish");
    }
    for (const fn of fns.filter(
        (f) => f.inputs.serviceConfig?.environmentVariables?.KEYWARDEN_SLACK_WEBHOOK_SECRET,
    )) {
        graph.edge(keyOf(fn), slack(graph), "webhook");
    }
    const watched = new Set(
        routes
            .filter((route) => route.conditions.some((c) => c.watches.includes("uptime_check")))
            .flatMap((route) => route.bots),
    );
    for (const group of groups.filter((g) => watched.has(g.name))) {
        for (const check of group.resources.filter((r) => r.type === TYPES.UptimeCheck)) {
            graph.edge(keyOf(check), "alerts", "failing checks", true);
        }
    }
    for (const grant of grants) {
        const email = memberLabel(grant.member);
        const from = actors.get(email) ?? graph.outside(`member:${email}`, email);
        graph.edge(from, targetNode(graph, grant, actors), grant.ability);
    }
    return ["flowchart LR", ...graph.render()].join("\n");
}

/** The Slack node, outside every box. */
function slack(graph: Graph): string {
    return graph.outside("slack", "Slack");
}

function targetNode(graph: Graph, grant: Grant, actors: Map<string, string>): string {
    const { kind, name } = grant.target;
    const actor = kind === "service account" ? actors.get(name) : undefined;
    if (actor !== undefined) return actor;
    const known =
        kind === "function"
            ? `fn:${name}`
            : kind === "secret"
              ? `secret:${name}`
              : kind === "topic"
                ? `topic:${name}`
                : undefined;
    if (known && graph.has(known)) return known;
    const label = kind === "secret" ? `secret ${name} (existing)` : `${kind} ${name}`;
    return graph.outside(`${kind}:${name}`, label);
}

/** A stable key for a resource's node, shared by the grants that target it. */
function keyOf(resource: RecordedResource): string {
    switch (resource.type) {
        case TYPES.Secret:
            return `secret:${resource.inputs.secretId}`;
        case TYPES.Function:
            return `fn:${resource.inputs.name}`;
        case TYPES.Topic:
            return `topic:${resource.inputs.name}`;
        default:
            return `${resource.type}::${resource.name}`;
    }
}

/** What a resource's node says; undefined for resources the diagram leaves out. */
function labelOf(resource: RecordedResource): string | undefined {
    const i = resource.inputs;
    switch (resource.type) {
        case TYPES.Secret: {
            const role = i.labels?.["keywarden-role"];
            return `${
                role === "state" ? "state secret" : role === "key" ? "key secret" : "secret"
            } ${i.secretId}`;
        }
        case TYPES.Function:
            return `function ${i.name}`;
        case TYPES.Job:
            return `scheduler job ${i.name}<br/>${i.schedule}`;
        case TYPES.UptimeCheck:
            return `uptime check<br/>${i.httpCheck?.path} every ${i.period}`;
        case TYPES.Channel:
            return i.type === "slack"
                ? `Slack channel ${i.labels?.channel_name}`
                : `notification channel (${i.type})`;
        case TYPES.Subscription:
            return `push subscription ${i.name}`;
        case TYPES.Topic:
            return `topic ${lastSegment(String(i.name))}`;
        default:
            return undefined;
    }
}

/** A node label (inside quotes): quotes as entities, `<br/>` kept as a line break. */
function escapeLabel(text: string): string {
    return text
        .replace(/#/g, "#35;")
        .replace(/"/g, "#quot;")
        .replace(/<(?!br\/>)/g, "#lt;")
        .replace(/(?<!<br\/)>/g, "#gt;");
}

/** An edge label (between pipes): every character Mermaid could read as syntax as an entity. */
function escapeEdge(text: string): string {
    return text.replace(/["|<>()[\]{}#;]/g, (c) => `#${c.charCodeAt(0)};`);
}

/** Nodes by key, with short generated IDs; arrows merged per pair of nodes. */
class Graph {
    readonly lines: string[] = [];
    private readonly ids = new Map<string, string>();
    private readonly edges = new Map<string, { labels: string[]; dotted: boolean }>();

    has(key: string): boolean {
        return this.ids.has(key);
    }

    /** Declares a node inside the current box; returns its declaration, for the box's lines. */
    inside(key: string, label: string): string {
        const id = `n${this.ids.size}`;
        this.ids.set(key, id);
        return `${id}["${escapeLabel(label)}"]`;
    }

    /** Declares a rounded node outside every box, once per key; returns the key. */
    outside(key: string, label: string): string {
        if (!this.ids.has(key)) {
            const id = `n${this.ids.size}`;
            this.ids.set(key, id);
            this.lines.push(`  ${id}(["${escapeLabel(label)}"])`);
        }
        return key;
    }

    /** An arrow between two declared nodes, by key; a second arrow adds its label to the first. */
    edge(from: string, to: string, label: string, dotted = false): void {
        const a = this.ids.get(from);
        const b = this.ids.get(to);
        if (a === undefined || b === undefined) return;
        const edge = this.edges.get(`${a} ${b}`) ?? { labels: [], dotted };
        if (label !== "" && !edge.labels.includes(label)) edge.labels.push(label);
        this.edges.set(`${a} ${b}`, edge);
    }

    /** The node and box lines, then every arrow. */
    render(): string[] {
        const arrows = [...this.edges].map(([pair, { labels, dotted }]) => {
            const [a, b] = pair.split(" ");
            const text = labels.length === 0 ? "" : `|${escapeEdge(labels.join(", "))}|`;
            return `  ${a} ${dotted ? "-.->" : "-->"}${text} ${b}`;
        });
        return [...this.lines, ...arrows];
    }
}
