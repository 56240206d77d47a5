/**
 * `POST /relay`: Pub/Sub push deliveries of Cloud Monitoring incidents, reposted to Slack.
 *
 * Answers: 204 once Slack has the message; 503 when Slack could not take it right now, so that
 * Pub/Sub delivers it again later; 400 for a body that is not a Pub/Sub push at all (a caller
 * other than the subscription); and 200 with `dropped` for a push whose message is not an
 * incident: acknowledged and logged, because refusing it would make Pub/Sub redeliver it forever.
 */
import { logEvent } from "../log";
import type { NotifyResult } from "../notify/slack-webhook";
import { incidentFromPubSubData, incidentNotice, NotAnIncident } from "../notify/incident";
import { Notice } from "../notify/notice";
import { jsonObject } from "./body";
import { Incoming, Refusal } from "./respond";

/** Sends one notice to Slack and says whether it was delivered. */
export type SlackSend = (notice: Notice) => Promise<NotifyResult>;

/** Handles one push delivery. */
export async function relayRoute(send: SlackSend | undefined, req: Incoming) {
    const body = jsonObject(req, false);
    const message = body.message as { data?: unknown; messageId?: unknown } | undefined;
    if (typeof message !== "object" || message === null || typeof body.subscription !== "string") {
        throw new Refusal(
            400,
            'the body is not a Pub/Sub push: expected {"message": {...}, "subscription": "..."}',
        );
    }
    if (!send) {
        throw new Refusal(
            503,
            "no Slack webhook is configured (KEYWARDEN_SLACK_WEBHOOK_SECRET): " +
                "the relay cannot deliver; set the fleet's Slack webhook secret",
        );
    }
    const messageId =
        typeof message.messageId === "string" ? message.messageId.slice(0, 64) : undefined;
    let notice: Notice;
    try {
        notice = incidentNotice(incidentFromPubSubData(message.data));
    } catch (error) {
        if (!(error instanceof NotAnIncident)) throw error;
        logEvent(
            "WARNING",
            "request.rejected",
            `/relay: message ${messageId ?? "?"} dropped: ${error.message}`,
            { path: "/relay", messageId },
        );
        return { status: 200, body: { dropped: error.message } };
    }
    const result = await send(notice);
    if (!result.delivered) {
        return {
            status: 503,
            body: {
                error: `Slack did not take the message (${result.reason}); Pub/Sub will retry`,
            },
        };
    }
    return { status: 204, body: {} };
}
