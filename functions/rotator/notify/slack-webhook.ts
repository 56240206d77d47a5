/**
 * Posts a {@link Notice} to a Slack incoming webhook.
 *
 * The webhook URL is a secret (anyone holding it can post to the channel), read lazily through
 * an injected function (the caller reads Secret Manager) and cached for a few minutes so a burst
 * of notices costs one read. The URL never appears in a log line, an error or a result: requests
 * declare the path secret, so the outbound layer shows only `https://hooks.slack.com/[redacted]`.
 *
 * A notice is a side channel: failing to deliver one must not fail the rotation that produced
 * it, so {@link SlackWebhookNotifier.send} never throws. It reports the outcome and logs
 * `notify.failed` with the HTTP status only (Slack's error bodies are not logged).
 */
import { logEvent } from "../log";
import { OutboundClient, OutboundError, isLoopbackHost } from "../net";
import type { Notice } from "./notice";

/** Why a notice was not delivered. */
export type NotifyFailureReason =
    | "webhook-url-unavailable"
    | "webhook-url-invalid"
    | "invalid-notice"
    | "rejected"
    | "rate-limited"
    | "unreachable";

/** The outcome of one send. */
export interface NotifyResult {
    /** Whether Slack accepted the message. */
    delivered: boolean;
    /** Why not, when not delivered. */
    reason?: NotifyFailureReason;
    /** Slack's HTTP status, when it answered. */
    status?: number;
    /** Slack's error code (e.g. `no_service`), when it is one Slack documents. */
    slackError?: string;
}

/** Options of a {@link SlackWebhookNotifier}. */
export interface SlackWebhookOptions {
    /** Returns the webhook URL, e.g. by reading its secret from Secret Manager. */
    webhookUrl: () => Promise<string>;
    /** Outbound client to post with. Default: a production client (HTTPS, public hosts only). */
    client?: OutboundClient;
    /** How long a fetched URL is reused, in ms. Default 5 minutes. */
    cacheTtlMs?: number;
    /** Current time in ms, for the cache. Default `Date.now`. */
    now?: () => number;
}

/** Error codes Slack documents for incoming webhooks; anything else is not echoed. */
const SLACK_ERRORS = new Set([
    "invalid_payload",
    "no_text",
    "missing_text_or_fallback_or_attachments",
    "invalid_blocks",
    "invalid_blocks_format",
    "too_many_attachments",
    "no_service",
    "no_service_id",
    "no_team",
    "team_disabled",
    "invalid_token",
    "no_active_hooks",
    "channel_not_found",
    "channel_is_archived",
    "action_prohibited",
    "posting_to_general_channel_denied",
    "user_not_found",
    "rollup_error",
]);

/** Statuses meaning the webhook itself is gone: re-read the secret next time. */
const WEBHOOK_GONE = new Set([403, 404, 410]);
const SEVERITY_EMOJI: Record<Notice["severity"], string> = {
    info: ":information_source:",
    warning: ":warning:",
    error: ":rotating_light:",
};

/** Slack mrkdwn treats `&`, `<` and `>` as control characters; escape them in our text. */
function escapeMrkdwn(text: string): string {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Cuts text to Slack's per-field limit, marking the cut. */
function clip(text: string, limit: number): string {
    return text.length <= limit ? text : text.slice(0, limit - 1) + "…";
}

/** Names what is wrong with a notice, or undefined when it can be sent. */
function noticeProblem(notice: Notice): string | undefined {
    if (typeof notice.title !== "string" || notice.title.trim() === "") return "`title` is empty";
    if (!(notice.severity in SEVERITY_EMOJI)) return "`severity` must be info, warning or error";
    if (!Array.isArray(notice.lines) || notice.lines.some((line) => typeof line !== "string")) {
        return "`lines` must be a list of strings";
    }
    if (Object.values(notice.fields ?? {}).some((value) => typeof value !== "string")) {
        return "`fields` values must be strings";
    }
    return undefined;
}

/**
 * The webhook payload: `text` is the plain fallback Slack shows in notifications, `blocks` the
 * formatted message (header, explanation, a field table in sections of at most ten, next step).
 */
export function slackPayload(notice: Notice): { text: string; blocks: unknown[] } {
    const next = notice.nextStep ? `Next step: ${notice.nextStep}` : "";
    const text = clip(
        escapeMrkdwn([notice.title, ...notice.lines, next].filter(Boolean).join("\n")),
        3000,
    );
    const blocks: unknown[] = [
        {
            type: "header",
            text: {
                type: "plain_text",
                emoji: true,
                text: clip(`${SEVERITY_EMOJI[notice.severity]} ${notice.title}`, 150),
            },
        },
    ];
    if (notice.lines.length > 0) {
        blocks.push({
            type: "section",
            text: { type: "mrkdwn", text: clip(escapeMrkdwn(notice.lines.join("\n")), 3000) },
        });
    }
    const fields = Object.entries(notice.fields ?? {}).map(([name, value]) => ({
        type: "mrkdwn",
        text: clip(`*${escapeMrkdwn(name)}*\n${escapeMrkdwn(value)}`, 2000),
    }));
    for (let start = 0; start < fields.length; start += 10) {
        blocks.push({ type: "section", fields: fields.slice(start, start + 10) });
    }
    if (notice.nextStep) {
        blocks.push({
            type: "section",
            text: {
                type: "mrkdwn",
                text: clip(`*Next step:* ${escapeMrkdwn(notice.nextStep)}`, 3000),
            },
        });
    }
    return { text, blocks };
}

/** What the log line says for each failure; none of it comes from Slack's answer. */
function failureMessage(reason: NotifyFailureReason, status?: number): string {
    switch (reason) {
        case "webhook-url-unavailable":
            return (
                "Could not read the Slack webhook URL; check that its secret has an enabled " +
                "version the function's service account may access"
            );
        case "webhook-url-invalid":
            return (
                "The Slack webhook secret does not hold an https://hooks.slack.com/ URL; " +
                "store the incoming-webhook URL from the Slack app's settings"
            );
        case "invalid-notice":
            return "A notice could not be rendered for Slack; this is a keywarden bug";
        case "rate-limited":
            return (
                "Slack rate-limited the webhook and the notice was dropped; the event is in " +
                "these logs"
            );
        case "unreachable":
            return "Could not reach Slack; the notice was dropped and the event is in these logs";
        case "rejected":
            return status !== undefined && WEBHOOK_GONE.has(status)
                ? `Slack refused the webhook (HTTP ${status}): it was removed or revoked; create ` +
                      "a new incoming webhook and store its URL in the webhook secret"
                : `Slack rejected the notice (HTTP ${status}); this is a keywarden bug`;
    }
}

/** Sends notices to one Slack incoming webhook. */
export class SlackWebhookNotifier {
    private readonly client: OutboundClient;
    private readonly ttlMs: number;
    private readonly now: () => number;
    private cached?: { url: Promise<string>; fetchedAt: number };

    /** Nothing is fetched until the first send. A negative `cacheTtlMs` is a RangeError. */
    constructor(private readonly options: SlackWebhookOptions) {
        this.client = options.client ?? new OutboundClient();
        this.ttlMs = options.cacheTtlMs ?? 5 * 60_000;
        if (!(this.ttlMs >= 0)) {
            throw new RangeError("SlackWebhookOptions.cacheTtlMs must be 0 or more milliseconds");
        }
        this.now = options.now ?? Date.now;
    }

    /** Posts a notice. Never throws; see {@link NotifyResult}. */
    async send(notice: Notice): Promise<NotifyResult> {
        const problem = noticeProblem(notice);
        if (problem) return this.fail({ delivered: false, reason: "invalid-notice" }, problem);
        let url: string;
        try {
            url = (await this.webhookUrl()).trim();
        } catch {
            this.cached = undefined;
            return this.fail({ delivered: false, reason: "webhook-url-unavailable" });
        }
        if (!this.acceptable(url)) {
            this.cached = undefined;
            return this.fail({ delivered: false, reason: "webhook-url-invalid" });
        }
        try {
            const response = await this.client.request({
                method: "POST",
                url,
                json: slackPayload(notice),
                secretPath: true,
                secrets: [url],
                // A duplicate alert is cheaper than a lost one, so 5xx and timeouts are retried.
                idempotent: true,
            });
            if (response.status >= 200 && response.status < 300) return { delivered: true };
            if (WEBHOOK_GONE.has(response.status)) this.cached = undefined;
            const code = typeof response.body === "string" ? response.body.trim() : "";
            return this.fail({
                delivered: false,
                reason: "rejected",
                status: response.status,
                slackError: SLACK_ERRORS.has(code) ? code : undefined,
            });
        } catch (error) {
            const status = error instanceof OutboundError ? error.status : undefined;
            const limited =
                error instanceof OutboundError && (error.code === "rate-limited" || status === 429);
            return this.fail({
                delivered: false,
                status,
                reason: limited ? "rate-limited" : "unreachable",
            });
        }
    }

    private webhookUrl(): Promise<string> {
        if (!this.cached || this.now() - this.cached.fetchedAt >= this.ttlMs) {
            this.cached = { url: this.options.webhookUrl(), fetchedAt: this.now() };
        }
        return this.cached.url;
    }

    /** Only Slack's webhook host, over HTTPS; loopback too when the client is a sandbox one. */
    private acceptable(raw: string): boolean {
        let url: URL;
        try {
            url = new URL(raw);
        } catch {
            return false;
        }
        if (url.username !== "" || url.password !== "") return false;
        if (url.protocol === "https:" && url.hostname === "hooks.slack.com" && url.port === "") {
            return url.pathname.length > 1;
        }
        return this.client.allowsLoopback && isLoopbackHost(url.hostname);
    }

    private fail(result: NotifyResult, detail?: string): NotifyResult {
        const message = failureMessage(result.reason ?? "unreachable", result.status);
        logEvent("WARNING", "notify.failed", detail ? `${message}: ${detail}` : message, {
            reason: result.reason,
            status: result.status,
        });
        return result;
    }
}
