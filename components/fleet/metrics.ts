/**
 * Log-based metrics: counts of the function's events, built from the event names the function
 * logs (`functions/rotator/events.ts`), so that a renamed event breaks the build, not the alerts.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { EventName, FAILURE_EVENTS } from "../../functions/rotator/events";
import { FleetSettings } from "./settings";

/** One counter over a set of events. */
export interface EventMetric {
    /** Last segment of the metric name: `keywarden/<fleet>/<id>`. */
    id: string;
    events: readonly EventName[];
    description: string;
    /** Log fields copied into metric labels (every event but the tick carries both). */
    labels: readonly ("bot" | "secret")[];
}

/** The fleet's counters: the dashboard charts them; the heartbeat alert watches `ticks`. */
export const EVENT_METRICS: readonly EventMetric[] = [
    {
        id: "ticks",
        events: ["tick.completed"],
        labels: [],
        description: "Completed reconcile ticks.",
    },
    {
        id: "rotations",
        events: ["rotation.succeeded"],
        labels: ["bot", "secret"],
        description: "Keys created, verified and published.",
    },
    {
        id: "failures",
        events: FAILURE_EVENTS,
        labels: ["bot", "secret"],
        description: "Failures that need a person: rotation, retirement, orphan, policy.",
    },
    {
        id: "retirements",
        events: ["retirement.succeeded"],
        labels: ["bot", "secret"],
        description: "Previous keys revoked after their grace period.",
    },
    {
        id: "reminders",
        events: ["reminder.due"],
        labels: ["bot", "secret"],
        description: "Reminders about keys that are replaced by hand.",
    },
    {
        id: "overdue",
        events: ["rotation.overdue"],
        labels: ["bot", "secret"],
        description: "Secrets whose rotation is past due.",
    },
];

/** The function's log lines, as a Cloud Logging filter. 2nd gen functions log as Cloud Run. */
export function functionLogFilter(functionName: string): string {
    return `resource.type="cloud_run_revision" AND resource.labels.service_name="${functionName}"`;
}

/** The function's log lines for `events`. */
export function eventLogFilter(functionName: string, events: readonly EventName[]): string {
    const names = events.map((event) => `jsonPayload.event="${event}"`).join(" OR ");
    return `${functionLogFilter(functionName)} AND (${names})`;
}

/** Full metric type of a counter, as alert and dashboard filters name it. */
export function metricType(settings: FleetSettings, id: string): string {
    return `logging.googleapis.com/user/${settings.names.metricPrefix}/${id}`;
}

/** Declares one log-based counter per entry of `EVENT_METRICS`, keyed by id. */
export function declareMetrics(
    name: string,
    settings: FleetSettings,
    opts: pulumi.CustomResourceOptions,
): Record<string, gcp.logging.Metric> {
    const metrics: Record<string, gcp.logging.Metric> = {};
    for (const metric of EVENT_METRICS) {
        metrics[metric.id] = new gcp.logging.Metric(
            `${name}-metric-${metric.id}`,
            {
                project: settings.project,
                name: `${settings.names.metricPrefix}/${metric.id}`,
                description: metric.description,
                filter: eventLogFilter(settings.names.functionName, metric.events),
                metricDescriptor: {
                    metricKind: "DELTA",
                    valueType: "INT64",
                    unit: "1",
                    labels: metric.labels.map((key) => ({ key, valueType: "STRING" })),
                },
                labelExtractors: Object.fromEntries(
                    metric.labels.map((key) => [key, `EXTRACT(jsonPayload.${key})`]),
                ),
            },
            opts,
        );
    }
    return metrics;
}
