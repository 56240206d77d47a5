/** The Slack incoming-webhook stand-in: start it, point a relay at `url`, read `messages`. */
export {
    randomWebhookPath,
    startSlackWebhookReceiver,
    type ReceivedMessage,
    type SlackWebhookReceiver,
    type SlackWebhookReceiverOptions,
} from "./webhook-receiver";
