/**
 * Every list price the offline plan's cost estimate uses, in US dollars, with where it comes
 * from and when it was checked. Change prices here only; the estimate, its tests' hand
 * computations and the printed plan all read them from this file.
 *
 * Prices marked `needsConfirmation` are not in keywarden's design brief (which records the
 * prices checked in December 2026 with their sources) and were not checked against Google's
 * price list when written: confirm them before relying on the figure.
 */

/** One list price: `usd` per `per` units of `unit`, with the free allowance if any. */
export interface Price {
    usd: number;
    /** How many units `usd` buys (1, 1,000, 10,000, 1,000,000). */
    per: number;
    unit: string;
    /** Units free each month, and over what they are counted. */
    free?: { units: number; scope: string };
    source: string;
    /** When the price was checked (year and month). */
    checked: string;
    /** True when the price is not yet confirmed against Google's price list. */
    needsConfirmation?: boolean;
}

/** Hours in a month, as Google's price lists count a month (365 days x 24 hours / 12). */
export const HOURS_PER_MONTH = 730;

/** Seconds in such a month: 2,628,000. */
export const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;

/** The prices, by what they price. */
export const PRICES = {
    /** An active (enabled or disabled) secret version, per replication location, per month. */
    secretVersion: {
        usd: 0.06,
        per: 1,
        unit: "active secret version per location per month",
        source: "cloud.google.com/secret-manager/pricing, via the design brief",
        checked: "2026-12",
    },
    /** AccessSecretVersion calls. */
    secretAccess: {
        usd: 0.03,
        per: 10_000,
        unit: "access operations",
        source: "cloud.google.com/secret-manager/pricing, via the design brief",
        checked: "2026-12",
    },
    /** Uptime-check executions: each check, from each checker region, each period. */
    uptimeExecution: {
        usd: 0.3,
        per: 1_000,
        unit: "uptime-check executions",
        free: { units: 1_000_000, scope: "per project per month" },
        source: "cloud.google.com/stackdriver/pricing, via the design brief",
        checked: "2026-12",
    },
    /** Cloud Scheduler jobs (a job is billed for the month whether or not it runs). */
    schedulerJob: {
        usd: 0.1,
        per: 1,
        unit: "scheduler job per month",
        free: { units: 3, scope: "per billing account" },
        source: "cloud.google.com/scheduler/pricing, via the design brief",
        checked: "2026-12",
    },
    /** Conditions of alert policies, billed per condition whatever the policy's traffic. */
    alertCondition: {
        usd: 1.5,
        per: 1,
        unit: "alert-policy condition per month",
        source: "cloud.google.com/stackdriver/pricing (alerting); not in the design brief",
        checked: "2026-12",
        needsConfirmation: true,
    },
    /** Function invocations (a 2nd gen function is billed as Cloud Run requests). */
    functionInvocation: {
        usd: 0.4,
        per: 1_000_000,
        unit: "function invocations",
        free: { units: 2_000_000, scope: "per billing account per month" },
        source: "cloud.google.com/run/pricing (requests); not in the design brief",
        checked: "2026-12",
        needsConfirmation: true,
    },
} satisfies Record<string, Price>;

/**
 * Locations a version of an automatically replicated secret is billed for. Secret Manager
 * bills automatic replication as one location; a user-managed secret is billed per replica.
 */
export const AUTO_REPLICATION_BILLED_LOCATIONS = {
    locations: 1,
    source: "cloud.google.com/secret-manager/pricing; not in the design brief",
    needsConfirmation: true,
};

/** The cost of `units` at `price`, before any free allowance. */
export function costOf(price: Price, units: number): number {
    return (units / price.per) * price.usd;
}

/** The cost of `units` at `price` beyond its free allowance (none when it has none). */
export function costBeyondFree(price: Price, units: number): number {
    return costOf(price, Math.max(0, units - (price.free?.units ?? 0)));
}
