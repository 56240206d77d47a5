/**
 * The protocol's notifier: sends each notice to the fleet's Slack webhook. Delivery failures are
 * logged by the webhook sender (`notify.failed`) and never fail a rotation.
 */
import { OutboundClient } from "../net";
import { Notice } from "./notice";
import { SlackWebhookNotifier } from "./slack-webhook";

/** A notifier posting through `client` to the webhook whose URL `webhookUrl` reads. */
export function sendToSlack(client: OutboundClient, webhookUrl: () => Promise<string>) {
    const webhook = new SlackWebhookNotifier({ webhookUrl, client });
    return async (notice: Notice): Promise<void> => {
        await webhook.send(notice);
    };
}
