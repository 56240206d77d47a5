/**
 * The bot's uptime check: Cloud Monitoring calls the health endpoint from several regions, and
 * the fleet's shared "bot health check failing" policy alerts on it through its fleet label.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { checkHealthUrl } from "../../functions/rotator/policy/validate";
import { FLEET_LABEL } from "../../functions/rotator/policy/types";
import { FleetConnection } from "../fleet/args";
import { BOT_LABEL } from "../names";
import { Problems } from "../problems";
import { HealthCheckArgs } from "./args";

/** Checker regions Cloud Monitoring offers. */
export const CHECKER_REGIONS = [
    "USA_OREGON",
    "USA_IOWA",
    "USA_VIRGINIA",
    "EUROPE",
    "SOUTH_AMERICA",
    "ASIA_PACIFIC",
] as const;

/** Default regions: three continents, the minimum number of regions a check may have. */
export const DEFAULT_REGIONS = ["EUROPE", "USA_VIRGINIA", "ASIA_PACIFIC"];

/** Periods Cloud Monitoring allows, in seconds. */
export const CHECK_PERIODS = [60, 300, 600, 900];

/** Default period: 300 s, a fifth of the cost of 60 s (see `HealthCheckArgs.periodSeconds`). */
export const DEFAULT_PERIOD = 300;

const HEADER_NAME = /^[A-Za-z0-9-]+$/;

/** A checked health check. */
export interface HealthSettings {
    args: HealthCheckArgs;
    url: URL;
    periodSeconds: number;
    timeoutSeconds: number;
    regions: string[];
}

/** Checks the `healthCheck` argument; records problems under `healthCheck`. */
export function resolveHealthCheck(
    args: HealthCheckArgs,
    problems: Problems,
): HealthSettings | undefined {
    const at = problems.at("healthCheck");
    const before = problems.all.length;
    const urlProblem = checkHealthUrl(args.url);
    if (urlProblem) at.add(`url ${urlProblem}`);
    for (const header of Object.keys(args.headers ?? {})) {
        if (!HEADER_NAME.test(header)) {
            at.add(
                `headers["${header}"] is not an HTTP header name: use letters, digits and ` +
                    "hyphens",
            );
        }
    }
    (args.acceptedStatusCodes ?? []).forEach((code, index) => {
        if (!Number.isInteger(code) || code < 100 || code > 599) {
            at.add(`acceptedStatusCodes[${index}] (${code}) is not an HTTP status: use 100 to 599`);
        }
    });
    if (args.bodyContains !== undefined && args.jsonPath !== undefined) {
        at.add(
            "bodyContains cannot be combined with jsonPath: an uptime check has one content " +
                "matcher; keep one of them",
        );
    }
    if (args.jsonPath !== undefined && !String(args.jsonPath.path ?? "").startsWith("$")) {
        at.add(
            `jsonPath.path "${args.jsonPath.path}" must be a JSON path starting with "$", ` +
                'e.g. "$.status"',
        );
    }
    const periodSeconds = args.periodSeconds ?? DEFAULT_PERIOD;
    if (!CHECK_PERIODS.includes(periodSeconds)) {
        at.add(
            `periodSeconds (${periodSeconds}) must be 60, 300, 600 or 900, the periods ` +
                "Cloud Monitoring allows; 300 keeps the cost low",
        );
    }
    const timeoutSeconds = args.timeoutSeconds ?? 10;
    if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 60) {
        at.add(`timeoutSeconds (${timeoutSeconds}) must be a whole number from 1 to 60`);
    }
    const regions = args.regions ?? DEFAULT_REGIONS;
    const known: readonly string[] = CHECKER_REGIONS;
    const unknown = regions.filter((region) => !known.includes(region));
    if (unknown.length > 0) {
        at.add(
            `regions has unknown regions (${unknown.join(", ")}): use ` +
                `${CHECKER_REGIONS.join(", ")}`,
        );
    } else if (new Set(regions).size < 3) {
        at.add(
            `regions lists ${new Set(regions).size} distinct regions; Cloud Monitoring needs ` +
                "at least 3: add more, or leave regions out for the default three",
        );
    }
    if (problems.all.length > before) return undefined;
    return { args, url: new URL(args.url), periodSeconds, timeoutSeconds, regions };
}

/** Declares the uptime check of bot `botName`. */
export function declareUptimeCheck(
    name: string,
    botName: string,
    health: HealthSettings,
    fleet: pulumi.Output<FleetConnection>,
    opts: pulumi.CustomResourceOptions,
): gcp.monitoring.UptimeCheckConfig {
    const { args, url } = health;
    const headers = args.headers && Object.keys(args.headers).length > 0 ? args.headers : undefined;
    return new gcp.monitoring.UptimeCheckConfig(
        `${name}-health`,
        {
            project: fleet.project,
            displayName: pulumi.interpolate`keywarden ${fleet.fleetName}: ${botName} health`,
            period: `${health.periodSeconds}s`,
            timeout: `${health.timeoutSeconds}s`,
            selectedRegions: health.regions,
            checkerType: "STATIC_IP_CHECKERS",
            monitoredResource: {
                type: "uptime_url",
                labels: { project_id: fleet.project, host: url.hostname },
            },
            httpCheck: {
                requestMethod: "GET",
                path: `${url.pathname}${url.search}`,
                port: url.port === "" ? 443 : Number(url.port),
                useSsl: true,
                validateSsl: true,
                // Header values may be credentials: secret in Pulumi's state, masked in the
                // console.
                headers: headers === undefined ? undefined : pulumi.secret(headers),
                maskHeaders: headers !== undefined,
                acceptedResponseStatusCodes:
                    args.acceptedStatusCodes === undefined
                        ? [{ statusClass: "STATUS_CLASS_2XX" }]
                        : args.acceptedStatusCodes.map((statusValue) => ({ statusValue })),
            },
            contentMatchers: contentMatchers(args),
            userLabels: { [FLEET_LABEL]: fleet.fleetName, [BOT_LABEL]: botName },
        },
        opts,
    );
}

function contentMatchers(args: HealthCheckArgs) {
    if (args.bodyContains !== undefined) {
        return [{ content: args.bodyContains, matcher: "CONTAINS_STRING" }];
    }
    if (args.jsonPath !== undefined) {
        return [
            {
                content: args.jsonPath.equals,
                matcher: "MATCHES_JSON_PATH",
                jsonPathMatcher: { jsonPath: args.jsonPath.path, jsonMatcher: "EXACT_MATCH" },
            },
        ];
    }
    return undefined;
}
