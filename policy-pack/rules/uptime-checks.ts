/**
 * Rule `keywarden-uptime-checks`: every bot that declares a health URL has an uptime check on
 * it. The function revokes a previous key only once the bot's health URL answers on the new
 * one; the uptime check is what alerts when the bot itself is down, before and after that.
 * A stack rule, because the check and the secret are separate resources.
 */
import { PolicyResource } from "@pulumi/policy";
import { managedKeySecret, parseAnnotation, UPTIME_CHECK_TYPE } from "./managed-secrets";
import { read } from "./preview-values";
import { StackRule } from "./rule";

/** Where an uptime check calls: host name and path (with the query string, as checks keep it). */
export interface CheckedEndpoint {
    host: string;
    path: string;
}

/** Requires a matching uptime check for each key secret whose policy has `healthUrl`. */
export const uptimeChecksRule: StackRule = {
    name: "keywarden-uptime-checks",
    description:
        "Every managed key whose policy declares a healthUrl has a Cloud Monitoring " +
        "uptime check calling the same host and path.",
    enforcementLevel: "mandatory",
    severity: "medium",
    validateStack: (args, reportViolation) => {
        const checks = args.resources
            .filter((resource) => resource.type === UPTIME_CHECK_TYPE)
            .map(checkedEndpoint);
        // A check whose host or path preview does not know yet might be the matching one: no
        // conclusion now; the engine runs the rule again once `pulumi up` knows every value.
        if (checks.includes("unknown")) return;
        const endpoints = checks.filter(
            (endpoint): endpoint is CheckedEndpoint => typeof endpoint === "object",
        );
        for (const resource of args.resources) {
            const health = healthEndpoint(resource);
            if (health === undefined) continue;
            const covered = endpoints.some(
                (endpoint) => endpoint.host === health.host && endpoint.path === health.path,
            );
            if (covered) continue;
            reportViolation(
                `secret "${health.secretId}" of bot "${health.bot}" declares the ` +
                    `health URL ${health.url}, but no uptime check calls host ${health.host} ` +
                    `path ${health.path}: give the bot a healthCheck with this URL (the Bot ` +
                    "component declares the check), or turn healthGate off for this secret",
                resource.urn,
            );
        }
    },
};

/** The endpoint a key secret's policy names as its bot's health URL, if any. */
function healthEndpoint(resource: PolicyResource) {
    const secret = managedKeySecret(resource.type, resource.name, resource.props);
    if (secret?.annotation === undefined) return undefined;
    const policy = parseAnnotation(secret.annotation);
    if (typeof policy?.healthUrl !== "string") return undefined;
    let url: URL;
    try {
        url = new URL(policy.healthUrl);
    } catch {
        // Not a URL: the annotation rule reports it.
        return undefined;
    }
    return {
        secretId: secret.secretId,
        bot: typeof policy.bot === "string" ? policy.bot : "?",
        url: policy.healthUrl,
        host: url.hostname,
        path: `${url.pathname}${url.search}`,
    };
}

/**
 * Host and path an uptime check calls; undefined for checks that are not HTTP checks of a URL,
 * "unknown" while preview does not know them.
 */
function checkedEndpoint(resource: PolicyResource): CheckedEndpoint | "unknown" | undefined {
    const host = read(() => resource.props.monitoredResource?.labels?.host);
    const http = read(() => resource.props.httpCheck);
    const path = read(() => resource.props.httpCheck?.path);
    if (!host.known || !http.known || !path.known) return "unknown";
    if (typeof host.value !== "string" || http.value === undefined) return undefined;
    // Cloud Monitoring calls "/" when a check gives no path, and adds a missing leading slash.
    const written = typeof path.value === "string" && path.value !== "" ? path.value : "/";
    return {
        host: host.value.toLowerCase(),
        path: written.startsWith("/") ? written : `/${written}`,
    };
}
