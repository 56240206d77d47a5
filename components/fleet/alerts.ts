/**
 * The fleet's shared alert policies. Alerting is billed per condition, so there is one set per
 * fleet, not per bot: their number is the same for 1 bot and for 1,000. Each incident names the
 * bot and secret (log-match conditions extract them; metric conditions group by them).
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { EventName, FAILURE_EVENTS } from "../../functions/rotator/events";
import { FLEET_LABEL } from "../../functions/rotator/policy/types";
import { eventLogFilter, functionLogFilter, metricType } from "./metrics";
import { FleetSettings } from "./settings";

/** Keys of the shared alert policies, in declaration order. */
export const ALERT_KEYS = [
    "rotation-failed",
    "key-expiring",
    "rotation-overdue",
    "heartbeat",
    "uptime",
    "function-errors",
    "scheduler-failures",
] as const;

/** One of `ALERT_KEYS`. */
export type AlertKey = (typeof ALERT_KEYS)[number];

type Condition = gcp.types.input.monitoring.AlertPolicyCondition;

interface AlertSpec {
    title: string;
    severity: "CRITICAL" | "ERROR" | "WARNING";
    condition: Condition;
    /** What the reader should do, in Markdown. */
    advice: string;
}

/** Declares the shared policies, all routed to `channel`. */
export function declareAlerts(
    name: string,
    settings: FleetSettings,
    channel: pulumi.Input<string>,
    opts: pulumi.CustomResourceOptions,
): Record<AlertKey, gcp.monitoring.AlertPolicy> {
    const specs = alertSpecs(settings);
    const policies = {} as Record<AlertKey, gcp.monitoring.AlertPolicy>;
    for (const key of ALERT_KEYS) {
        const spec = specs[key];
        const logMatch = spec.condition.conditionMatchedLog !== undefined;
        policies[key] = new gcp.monitoring.AlertPolicy(
            `${name}-alert-${key}`,
            {
                project: settings.project,
                displayName: `keywarden ${settings.fleetName}: ${spec.title}`,
                severity: spec.severity,
                combiner: "OR",
                conditions: [spec.condition],
                notificationChannels: [channel],
                userLabels: { [FLEET_LABEL]: settings.fleetName },
                documentation: { mimeType: "text/markdown", content: spec.advice },
                // Log-match conditions open an incident per matching line and must be rate limited.
                alertStrategy: logMatch
                    ? { notificationRateLimit: { period: "300s" }, autoClose: "1800s" }
                    : { autoClose: "86400s" },
            },
            opts,
        );
    }
    return policies;
}

function alertSpecs(settings: FleetSettings): Record<AlertKey, AlertSpec> {
    const fn = settings.names.functionName;
    const job = settings.names.tickJob;
    const logs = `Logs: \`${functionLogFilter(fn)}\`.`;
    return {
        "rotation-failed": {
            title: "rotation failed",
            severity: "ERROR",
            condition: eventMatch("A rotation, retirement or policy failed", fn, FAILURE_EVENTS),
            advice:
                "A key of bot ${log.extracted_label.bot} (secret " +
                "${log.extracted_label.secret}) could not be rotated or retired. The current key " +
                `is unchanged and still valid; the next tick retries. ${logs}`,
        },
        "key-expiring": {
            title: "key due for replacement",
            severity: "WARNING",
            condition: eventMatch("A key replaced by hand is due", fn, ["reminder.due"]),
            advice:
                "The key in secret ${log.extracted_label.secret} is replaced by hand and is " +
                "due. Create a new key at the provider, add it as a new version of the secret, " +
                "then call the function's /rotate route.",
        },
        "rotation-overdue": {
            title: "rotation overdue",
            severity: "ERROR",
            condition: eventMatch("A rotation is past due", fn, ["rotation.overdue"]),
            advice:
                "Secret ${log.extracted_label.secret} is past its rotation date, after " +
                `repeated failures or a paused rotator. Fix the cause shown in its logs. ${logs}`,
        },
        heartbeat: {
            title: "rotator heartbeat absent",
            severity: "CRITICAL",
            condition: {
                displayName: "No completed reconcile tick",
                conditionAbsent: {
                    filter:
                        `metric.type="${metricType(settings, "ticks")}" AND ` +
                        'resource.type="cloud_run_revision"',
                    duration: `${settings.heartbeatSeconds}s`,
                    aggregations: [
                        {
                            alignmentPeriod: `${Math.min(300, settings.heartbeatSeconds)}s`,
                            perSeriesAligner: "ALIGN_DELTA",
                            crossSeriesReducer: "REDUCE_SUM",
                        },
                    ],
                },
            },
            advice:
                `No reconcile tick has completed lately: no key is being rotated. Check the ` +
                `scheduler job ${job} and the function ${fn}. ${logs}`,
        },
        uptime: {
            title: "bot health check failing",
            severity: "ERROR",
            condition: {
                displayName: "A bot's uptime check fails from several regions",
                conditionThreshold: {
                    // Every check of the fleet, whichever stack declared it, through its label.
                    filter:
                        'metric.type="monitoring.googleapis.com/uptime_check/check_passed" ' +
                        `AND resource.type="uptime_url" AND ` +
                        `metadata.user_labels."${FLEET_LABEL}"="${settings.fleetName}"`,
                    comparison: "COMPARISON_GT",
                    thresholdValue: 1,
                    duration: "60s",
                    trigger: { count: 1 },
                    aggregations: [
                        {
                            alignmentPeriod: "1200s",
                            perSeriesAligner: "ALIGN_NEXT_OLDER",
                            crossSeriesReducer: "REDUCE_COUNT_FALSE",
                            groupByFields: ["metric.label.check_id", "resource.label.host"],
                        },
                    ],
                },
            },
            advice:
                "A bot's health endpoint fails from more than one region. If a key was " +
                "rotated recently, the bot may not have reloaded it; the previous key stays " +
                "valid until the health check passes.",
        },
        "function-errors": {
            title: "function errors",
            severity: "ERROR",
            condition: {
                displayName: "The function answers 5xx",
                conditionThreshold: {
                    filter:
                        'metric.type="run.googleapis.com/request_count" AND ' +
                        'resource.type="cloud_run_revision" AND ' +
                        `resource.label.service_name="${fn}" AND ` +
                        'metric.label.response_code_class="5xx"',
                    comparison: "COMPARISON_GT",
                    thresholdValue: 0,
                    duration: "0s",
                    aggregations: [
                        {
                            alignmentPeriod: "300s",
                            perSeriesAligner: "ALIGN_DELTA",
                            crossSeriesReducer: "REDUCE_SUM",
                        },
                    ],
                },
            },
            advice: `The function ${fn} failed requests (crash, timeout or bug). ${logs}`,
        },
        "scheduler-failures": {
            title: "scheduler failures",
            severity: "ERROR",
            condition: {
                displayName: "The tick job failed",
                conditionMatchedLog: {
                    filter:
                        'resource.type="cloud_scheduler_job" AND ' +
                        `resource.labels.job_id="${job}" AND severity>=ERROR`,
                },
            },
            advice:
                `Cloud Scheduler could not complete a call of job ${job} (denied, timed out ` +
                "or failed after its retries). Check that the function is deployed and that the " +
                "job's service account still holds roles/run.invoker on it.",
        },
    };
}

function eventMatch(displayName: string, fn: string, events: readonly EventName[]): Condition {
    return {
        displayName,
        conditionMatchedLog: {
            filter: eventLogFilter(fn, events),
            labelExtractors: {
                bot: "EXTRACT(jsonPayload.bot)",
                secret: "EXTRACT(jsonPayload.secret)",
            },
        },
    };
}
