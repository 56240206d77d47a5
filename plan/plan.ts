/**
 * The offline plan of a stack: what `pulumi up` would create, grouped by bot and the fleet's
 * shared part, with the IAM grants, the alert routes to Slack, a monthly cost estimate and a
 * Mermaid diagram, all derived from one run of the stack program under the mock runtime.
 * This document is what `--json` prints and what the text output is rendered from.
 */
import { AlertRoute, alertRoutes } from "./alerts";
import { CostEstimate, estimateCost } from "./cost";
import { Grant, grantsOf } from "./iam";
import { mermaidDiagram } from "./mermaid";
import { RecordedResource } from "./mock-runtime";
import { HOURS_PER_MONTH, PRICES } from "./prices";
import { groupResources, shortType, TYPES } from "./resources";
import { OfflineRun, runOffline } from "./run";
import { Placeholder } from "./stack-file";

/** A bot's uptime check, as the plan shows it. */
export interface HealthCheckPlan {
    resource: string;
    url: string;
    periodSeconds: number;
    regions: string[];
}

/** What the fleet or one bot declares. */
export interface GroupPlan {
    kind: "fleet" | "bot" | "stack";
    name: string;
    resources: { type: string; name: string }[];
    /** Grants this group's resources make. */
    iam: Grant[];
    /** Titles of the alert policies covering this bot (its key events, its health check). */
    alerts: string[];
    healthChecks: HealthCheckPlan[];
}

/** The whole plan of one stack. */
export interface PlanDocument {
    /** Version of this document's shape; changes when a field changes meaning. */
    schema: 1;
    stack: string;
    project?: string;
    /** The fleet's name, when the stack declares a fleet. */
    fleet?: string;
    /** Resources `pulumi up` would create, the stack itself and components included. */
    resourceCount: number;
    /** Credentials planned with a stand-in value. */
    placeholders: Placeholder[];
    notes: string[];
    groups: GroupPlan[];
    alertRoutes: AlertRoute[];
    cost: CostEstimate;
    prices: { hoursPerMonth: number; list: typeof PRICES };
    mermaid: string;
}

/** Runs the stack program offline and derives the plan. */
export async function planOffline(dir: string, stack: string): Promise<PlanDocument> {
    return describeRun(await runOffline(dir, stack));
}

/** Derives the plan from a recorded run. */
export function describeRun(run: OfflineRun): PlanDocument {
    const { recording } = run;
    const groups = groupResources(recording);
    const routes = alertRoutes(recording, groups);
    const allGrants = grantsOf(recording.resources, recording);
    const notes = [...run.notes];
    if (run.files.placeholders.length > 0) {
        notes.push(
            "Credentials are never read: each listed placeholder stands in for one, so " +
                "their format is checked by `pulumi up` only.",
        );
    }
    return {
        schema: 1,
        stack: run.files.stack,
        project: run.files.config["gcp:project"],
        fleet: groups.find((group) => group.kind === "fleet")?.name,
        resourceCount: recording.resources.length,
        placeholders: run.files.placeholders,
        notes,
        groups: groups.map((group) => ({
            kind: group.kind,
            name: group.name,
            resources: group.resources.map((r) => ({ type: shortType(r.type), name: r.name })),
            iam: grantsOf(group.resources, recording),
            alerts: routes
                .filter((route) => route.bots.includes(group.name))
                .map((route) => route.title),
            healthChecks: group.resources
                .filter((r) => r.type === TYPES.UptimeCheck)
                .map(healthCheck),
        })),
        alertRoutes: routes,
        cost: estimateCost(recording, groups),
        prices: { hoursPerMonth: HOURS_PER_MONTH, list: PRICES },
        mermaid: mermaidDiagram(recording, groups, allGrants, routes),
    };
}

function healthCheck(check: RecordedResource): HealthCheckPlan {
    const { httpCheck, monitoredResource, period, selectedRegions } = check.inputs;
    const port =
        httpCheck?.port === undefined || httpCheck.port === 443 ? "" : `:${httpCheck.port}`;
    const scheme = httpCheck?.useSsl === false ? "http" : "https";
    return {
        resource: check.name,
        url: `${scheme}://${monitoredResource?.labels?.host}${port}${httpCheck?.path ?? "/"}`,
        periodSeconds: Number(/^(\d+)s$/.exec(String(period))?.[1] ?? 300),
        regions: selectedRegions ?? [],
    };
}
