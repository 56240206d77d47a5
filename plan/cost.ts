/**
 * A monthly cost estimate at list prices (`prices.ts`), computed from the recorded resources:
 * secret versions and reads, uptime-check executions beyond the project's free allowance, the
 * scheduler job, alert-policy conditions and function invocations. Each line belongs to the
 * fleet or to the bot whose resource it prices.
 */
import { RecordedResource, Recording } from "./mock-runtime";
import {
    AUTO_REPLICATION_BILLED_LOCATIONS,
    costBeyondFree,
    PRICES,
    SECONDS_PER_MONTH,
} from "./prices";
import { compare, ResourceGroup, TYPES } from "./resources";
import { formatCount, secretCosts } from "./cost-secrets";
import { runsPerMonth } from "./schedule";

/** One priced item. */
export interface CostLine {
    /** The fleet's or the bot's name. */
    group: string;
    item:
        | "secret versions"
        | "secret access"
        | "uptime checks"
        | "scheduler jobs"
        | "alert conditions"
        | "function invocations";
    /** What is priced: a secret ID, a check, the fleet's policies... */
    subject: string;
    quantity: number;
    unit: string;
    /** The price applied, by its name in `PRICES`. */
    price: keyof typeof PRICES;
    /** How the quantity was counted, for the reader. */
    detail: string;
    usd: number;
}

/** The estimate: its lines, subtotals by group, total, and what it assumes. */
export interface CostEstimate {
    currency: "USD";
    lines: CostLine[];
    subtotals: Record<string, number>;
    total: number;
    /** Assumptions and what is left out. */
    notes: string[];
    /** Costs that grow month after month, or schedules that could not be read. */
    warnings: string[];
}

/** Estimates the monthly cost of the recorded resources, grouped like `groups`. */
export function estimateCost(recording: Recording, groups: ResourceGroup[]): CostEstimate {
    const owner = new Map<RecordedResource, string>();
    for (const group of groups) {
        for (const resource of group.resources) owner.set(resource, group.name);
    }
    const groupOf = (resource: RecordedResource) => owner.get(resource) ?? "(stack)";

    const secrets = secretCosts(recording, groupOf);
    const lines = [...secrets.lines, ...uptimeLines(recording, groupOf)];
    const warnings = [...secrets.warnings];
    const jobs = recording.ofType(TYPES.Job);
    if (jobs.length > 0) {
        lines.push({
            group: groupOf(jobs[0]),
            item: "scheduler jobs",
            subject: "tick job",
            quantity: jobs.length,
            unit: "jobs",
            price: "schedulerJob",
            detail:
                `${jobs.length} job${jobs.length === 1 ? "" : "s"}; ` +
                `${PRICES.schedulerJob.free.units} free ${PRICES.schedulerJob.free.scope}`,
            usd: costBeyondFree(PRICES.schedulerJob, jobs.length),
        });
        lines.push(invocationLine(jobs, groupOf, warnings));
    }
    const policies = recording.ofType(TYPES.AlertPolicy);
    const conditions = policies.reduce((sum, p) => sum + (p.inputs.conditions?.length ?? 0), 0);
    if (conditions > 0) {
        lines.push({
            group: groupOf(policies[0]),
            item: "alert conditions",
            subject: "shared alert policies",
            quantity: conditions,
            unit: "conditions",
            price: "alertCondition",
            detail: `${policies.length} policies, ${conditions} conditions`,
            usd: costBeyondFree(PRICES.alertCondition, conditions),
        });
    }
    const order = new Map(groups.map((group, index) => [group.name, index]));
    lines.sort(
        (a, b) =>
            (order.get(a.group) ?? 99) - (order.get(b.group) ?? 99) ||
            compare(a.item, b.item) ||
            compare(a.subject, b.subject),
    );
    const subtotals: Record<string, number> = {};
    for (const line of lines) subtotals[line.group] = (subtotals[line.group] ?? 0) + line.usd;
    const total = lines.reduce((sum, line) => sum + line.usd, 0);
    const unconfirmed = Object.entries(PRICES)
        .filter(([, price]) => "needsConfirmation" in price && price.needsConfirmation)
        .map(([name]) => name);
    if (AUTO_REPLICATION_BILLED_LOCATIONS.needsConfirmation) {
        unconfirmed.push("automatic replication billed as one location");
    }
    const notes = [
        ...secrets.notes,
        "Free allowances are assumed not used up elsewhere: the billing account's " +
            `${PRICES.schedulerJob.free.units} scheduler jobs and ` +
            `${formatCount(PRICES.functionInvocation.free.units)} invocations, the ` +
            `project's ${formatCount(PRICES.uptimeExecution.free.units)} ` +
            "uptime-check executions.",
        "Not estimated: the bots' own reads of their keys ($0.03 per 10,000), the function's " +
            "compute time, Cloud Build at deployment, Cloud Storage, Pub/Sub and Cloud Logging.",
        `Prices to confirm (see plan/prices.ts): ${unconfirmed.join(", ")}.`,
    ];
    return { currency: "USD", lines, subtotals, total, notes, warnings };
}

/**
 * Executions of each uptime check (regions x runs a month); the project's free allowance is
 * shared among its checks in proportion to their executions.
 */
function uptimeLines(recording: Recording, groupOf: (r: RecordedResource) => string): CostLine[] {
    const checks = recording.ofType(TYPES.UptimeCheck).map((check) => {
        const period = Number(/^(\d+)s$/.exec(String(check.inputs.period ?? "300s"))?.[1] ?? 300);
        const regions = (check.inputs.selectedRegions ?? []).length;
        return { check, period, regions, executions: regions * (SECONDS_PER_MONTH / period) };
    });
    const perProject = new Map<string, number>();
    for (const { check, executions } of checks) {
        const project = String(check.inputs.project);
        perProject.set(project, (perProject.get(project) ?? 0) + executions);
    }
    return checks.map(({ check, period, regions, executions }) => {
        const projectTotal = perProject.get(String(check.inputs.project))!;
        const share = executions / projectTotal;
        return {
            group: groupOf(check),
            item: "uptime checks",
            subject: check.name,
            quantity: executions,
            unit: "executions",
            price: "uptimeExecution",
            detail:
                `${regions} regions every ${period}s = ${formatCount(executions)} ` +
                `executions; project total ${formatCount(projectTotal)}, ` +
                `${formatCount(PRICES.uptimeExecution.free.units)} free`,
            usd: costBeyondFree(PRICES.uptimeExecution, projectTotal) * share,
        };
    });
}

/** Invocations by the tick jobs; the relay's calls come only with incidents and are left out. */
function invocationLine(
    jobs: RecordedResource[],
    groupOf: (r: RecordedResource) => string,
    warnings: string[],
): CostLine {
    let invocations = 0;
    const schedules: string[] = [];
    for (const job of jobs) {
        const schedule = String(job.inputs.schedule);
        const runs = runsPerMonth(schedule);
        if (runs === undefined) {
            warnings.push(
                `The schedule "${schedule}" of job ${job.name} could not be read: its ` +
                    "invocations are not counted.",
            );
            continue;
        }
        // A failed tick is retried, but ticks rarely fail: retries are not counted.
        invocations += runs;
        schedules.push(`"${schedule}"`);
    }
    return {
        group: groupOf(jobs[0]),
        item: "function invocations",
        subject: "reconcile ticks",
        quantity: invocations,
        unit: "invocations",
        price: "functionInvocation",
        detail:
            `${formatCount(invocations)} ticks a month (${schedules.join(", ")}); ` +
            `${formatCount(PRICES.functionInvocation.free.units)} free`,
        usd: costBeyondFree(PRICES.functionInvocation, invocations),
    };
}
