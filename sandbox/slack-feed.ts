/**
 * The Slack messages the function would have sent: a webhook receiver stands in for
 * hooks.slack.com, and each message it accepts is shown as one line (its plain-text fallback,
 * the text a Slack notification shows). The webhook URL itself is a secret and is never shown.
 */
import { startSlackWebhookReceiver } from "../standins/slack";
import type { DisplayLine, Tone } from "./display";

/** A running receiver whose messages are shown as they arrive. */
export interface SlackFeed {
    /** The webhook URL to store in the function's webhook secret. */
    readonly url: string;
    /** The URL and its path: values the terminal must never print. */
    readonly secrets: readonly string[];
    /** Messages received so far. */
    readonly count: number;
    /** Closes the receiver and waits for the feed to end. */
    stop(): Promise<void>;
}

/** Starts the receiver and shows every message it accepts. */
export async function followSlack(show: (line: DisplayLine) => void): Promise<SlackFeed> {
    const receiver = await startSlackWebhookReceiver();
    let following = true;
    let seen = 0;
    const feed = (async () => {
        while (following) {
            try {
                const messages = await receiver.waitForMessages(seen + 1, 60_000);
                for (const message of messages.slice(seen)) show(slackLine(message.body));
                seen = messages.length;
            } catch {
                // A quiet minute (wait again) or the receiver stopping (the loop then ends).
            }
        }
    })();
    return {
        url: receiver.url,
        secrets: [receiver.url, new URL(receiver.url).pathname],
        get count() {
            return seen;
        },
        stop: async () => {
            following = false;
            await receiver.stop();
            await feed;
        },
    };
}

/** One line for a message: its fallback text on one line, toned by the header's emoji. */
export function slackLine(body: Readonly<Record<string, unknown>>): DisplayLine {
    const text = typeof body.text === "string" ? body.text : "(a message without text)";
    const oneLine = text
        .split("\n")
        .map((part) => part.trim())
        .filter(Boolean)
        .join(" | ")
        .replace(/&lt;/g, "<")
        .replace(/&gt;/g, ">")
        .replace(/&amp;/g, "&");
    return { lane: "slack", label: "message", detail: oneLine, tone: toneOf(body) };
}

function toneOf(body: Readonly<Record<string, unknown>>): Tone {
    const blocks = Array.isArray(body.blocks) ? body.blocks : [];
    const header = JSON.stringify(blocks[0] ?? "");
    if (header.includes(":rotating_light:")) return "bad";
    if (header.includes(":warning:")) return "warn";
    return "plain";
}
