/**
 * Cloud Monitoring incidents, as the Pub/Sub notification channel publishes them (schema
 * version 1.2: `{"incident": {...}, "version": "1.2"}`), turned into Slack notices. Slack's
 * incoming webhooks cannot take Monitoring's own webhook JSON (they answer `400 no_text`), which
 * is why the fleet can route alerts through this relay instead of the native Slack channel.
 */
import { Notice } from "./notice";

/** The incident fields the relay reads; Monitoring sends more. */
export interface MonitoringIncident {
    incident_id?: string;
    policy_name?: string;
    condition_name?: string;
    state?: string;
    summary?: string;
    url?: string;
    started_at?: number;
    ended_at?: number | null;
    resource_display_name?: string;
    resource_name?: string;
    documentation?: { content?: string };
}

/** Why a published message is not an incident. */
export class NotAnIncident extends Error {}

/** Reads the incident from a Pub/Sub message's base64 `data`. */
export function incidentFromPubSubData(data: unknown): MonitoringIncident {
    if (typeof data !== "string" || data === "") throw new NotAnIncident("message.data is missing");
    let payload: unknown;
    try {
        payload = JSON.parse(Buffer.from(data, "base64").toString("utf8"));
    } catch {
        throw new NotAnIncident("message.data is not base64-encoded JSON");
    }
    const incident = (payload as { incident?: unknown } | null)?.incident;
    if (typeof incident !== "object" || incident === null) {
        throw new NotAnIncident(
            'message.data has no "incident" object: is the topic fed by a Monitoring channel?',
        );
    }
    return incident as MonitoringIncident;
}

const MAX_TEXT = 500;

/** The Slack notice for an incident: firing incidents are errors, closed ones information. */
export function incidentNotice(incident: MonitoringIncident): Notice {
    const open = incident.state !== "closed";
    const policy = text(incident.policy_name) ?? "an alert policy";
    const fields: Record<string, string> = {};
    const add = (name: string, value: unknown) => {
        const shown = text(value);
        if (shown) fields[name] = shown;
    };
    add("condition", incident.condition_name);
    add("resource", incident.resource_display_name ?? incident.resource_name);
    if (typeof incident.started_at === "number")
        fields.started = new Date(incident.started_at * 1000).toISOString();
    add("incident", incident.incident_id);
    const docs = text(incident.documentation?.content);
    return {
        title: `${open ? "Alert firing" : "Alert resolved"}: ${policy}`,
        severity: open ? "error" : "info",
        lines: [text(incident.summary) ?? (open ? "An incident opened." : "The incident closed.")],
        fields,
        nextStep: open
            ? [docs, text(incident.url) && `Incident: ${incident.url}`].filter(Boolean).join(" ") ||
              undefined
            : undefined,
    };
}

function text(value: unknown): string | undefined {
    if (typeof value !== "string" || value.trim() === "") return undefined;
    return value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT)}…` : value;
}
