/**
 * Alert routes to Slack, read off the recorded alert policies and notification channels: each
 * policy, what its conditions watch, the path an incident takes to Slack, and the bots whose
 * events or health checks it covers.
 */
import { FLEET_LABEL } from "../functions/rotator/policy/types";
import { Recording } from "./mock-runtime";
import { compare, idOf, lastSegment, ResourceGroup, stateOf, TYPES } from "./resources";

/** One condition of a policy. */
export interface ConditionSummary {
    name: string;
    /** `log match`, `metric absent` or `metric threshold`. */
    kind: string;
    /** What it watches: event names, a metric type, a resource. */
    watches: string;
}

/** One alert policy and where its incidents go. */
export interface AlertRoute {
    /** Pulumi name of the policy. */
    resource: string;
    title: string;
    severity: string;
    conditions: ConditionSummary[];
    /** From the policy to Slack, one step each: channel, topic, subscription, function. */
    route: string[];
    /** Bots whose key events or health check the policy covers; empty for fleet-wide ones. */
    bots: string[];
}

/** The routes of every recorded alert policy, sorted by title. */
export function alertRoutes(recording: Recording, groups: ResourceGroup[]): AlertRoute[] {
    const channels = new Map(recording.ofType(TYPES.Channel).map((c) => [idOf(c), c]));
    return recording
        .ofType(TYPES.AlertPolicy)
        .map((policy) => {
            const conditions: any[] = policy.inputs.conditions ?? [];
            const route = (policy.inputs.notificationChannels ?? []).flatMap((name: string) => {
                const channel = channels.get(name);
                return channel ? channelRoute(channel.inputs, recording) : [`channel ${name}`];
            });
            return {
                resource: policy.name,
                title: String(policy.inputs.displayName),
                severity: String(policy.inputs.severity ?? "unset"),
                conditions: conditions.map(summarize),
                route: route.length > 0 ? route : ["no notification channel: nobody is told"],
                bots: botsCovered(conditions, recording, groups),
            };
        })
        .sort((a, b) => compare(a.title, b.title));
}

/** The steps from a channel to Slack. */
function channelRoute(channel: Record<string, any>, recording: Recording): string[] {
    if (channel.type === "slack") {
        return [`Slack ${channel.labels?.channel_name} (Cloud Monitoring's Slack app)`];
    }
    if (channel.type !== "pubsub") return [`${channel.type} channel ${channel.displayName}`];
    const topic = String(channel.labels?.topic);
    const steps = [`Pub/Sub topic ${lastSegment(topic)}`];
    for (const subscription of recording
        .ofType(TYPES.Subscription)
        .filter((s) => s.inputs.topic === topic)) {
        steps.push(`push subscription ${subscription.inputs.name}`);
        const endpoint = String(subscription.inputs.pushConfig?.pushEndpoint ?? "");
        const fn = recording
            .ofType(TYPES.Function)
            .find((f) => endpoint.startsWith(`${stateOf(f).url}/`));
        if (!fn) {
            steps.push("an endpoint outside this stack");
            continue;
        }
        steps.push(`function ${fn.inputs.name} ${endpoint.slice(String(stateOf(fn).url).length)}`);
        const webhook =
            fn.inputs.serviceConfig?.environmentVariables?.KEYWARDEN_SLACK_WEBHOOK_SECRET;
        if (webhook) steps.push(`Slack incoming webhook (URL in secret ${lastSegment(webhook)})`);
    }
    return steps;
}

function summarize(condition: Record<string, any>): ConditionSummary {
    const name = String(condition.displayName);
    if (condition.conditionMatchedLog) {
        const filter = String(condition.conditionMatchedLog.filter);
        const events = [...filter.matchAll(/jsonPayload\.event="([^"]+)"/g)].map((m) => m[1]);
        const resource = /resource\.type="([^"]+)"/.exec(filter)?.[1] ?? "logs";
        const job = /job_id="([^"]+)"/.exec(filter)?.[1];
        const watches =
            events.length > 0
                ? `events ${events.join(", ")}`
                : job
                  ? `errors of ${resource} ${job}`
                  : `log entries of ${resource}`;
        return { name, kind: "log match", watches };
    }
    if (condition.conditionAbsent) {
        const { filter, duration } = condition.conditionAbsent;
        return { name, kind: `metric absent for ${duration}`, watches: metricOf(filter) };
    }
    if (condition.conditionThreshold) {
        const { filter, comparison, thresholdValue, duration } = condition.conditionThreshold;
        const op = { COMPARISON_GT: ">", COMPARISON_LT: "<" }[String(comparison)] ?? comparison;
        return {
            name,
            kind: `metric threshold ${op} ${thresholdValue ?? 0} for ${duration}`,
            watches: metricOf(filter),
        };
    }
    return {
        name,
        kind: Object.keys(condition).find((k) => k.startsWith("condition")) ?? "?",
        watches: "",
    };
}

function metricOf(filter: unknown): string {
    return /metric\.type="([^"]+)"/.exec(String(filter))?.[1] ?? String(filter);
}

/**
 * Bots a policy covers: event conditions on the function's logs cover the bots whose key
 * secrets carry that function's fleet label (the events name bot and secret); uptime
 * conditions cover the bots whose checks carry every user label the filter asks for.
 */
function botsCovered(
    conditions: Record<string, any>[],
    recording: Recording,
    groups: ResourceGroup[],
): string[] {
    const bots = new Set<string>();
    for (const condition of conditions) {
        const filter = String(
            condition.conditionMatchedLog?.filter ??
                condition.conditionThreshold?.filter ??
                condition.conditionAbsent?.filter ??
                "",
        );
        const fleets = recording
            .ofType(TYPES.Function)
            .filter((fn) => filter.includes(`service_name="${fn.inputs.name}"`))
            .map((fn) => fn.inputs.labels?.[FLEET_LABEL]);
        const perEvent = /jsonPayload\.event=/.test(filter);
        const labels = [...filter.matchAll(/metadata\.user_labels\."([^"]+)"="([^"]+)"/g)];
        for (const group of groups.filter((g) => g.kind === "bot")) {
            const covered = group.resources.some((resource) => {
                const own = resource.inputs.labels ?? resource.inputs.userLabels ?? {};
                if (perEvent && resource.type === TYPES.Secret) {
                    return fleets.includes(own[FLEET_LABEL]);
                }
                return (
                    resource.type === TYPES.UptimeCheck &&
                    labels.length > 0 &&
                    filter.includes("uptime_check") &&
                    labels.every(([, k, v]) => own[k] === v)
                );
            });
            if (covered) bots.add(group.name);
        }
    }
    return [...bots].sort(compare);
}
