/**
 * The sample bot: a mail bot that sends through SendGrid with the key it reads from Secret
 * Manager, the way a real one would, and serves a health endpoint the rotator checks before it
 * revokes the previous key.
 *
 * The sending loop is the traffic simulation's `SimulatedBot`: it keeps its key in a short cache
 * and re-reads `versions/latest` through the official client when the cache runs out. This file
 * adds what a terminal needs to watch it: which version the bot holds, a running count of its
 * calls, every failed call at once, and the health endpoint (https, see tls/).
 */
import type { SecretManagerServiceClient } from "@google-cloud/secret-manager";
import type { IncomingMessage, ServerResponse } from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import { BotStats, KeyReader, SimulatedBot, UseCall, sendGridMailSend } from "../standins/traffic";
import { count, type DisplayLine } from "./display";
import type { LoopbackCertificate } from "./tls/loopback-certificate";

/** What the sample bot needs. */
export interface SampleBotOptions {
    client: SecretManagerServiceClient;
    /** The key's secret, `projects/P/secrets/ID`. */
    secretName: string;
    /** Where the bot sends mail (the fake SendGrid itself, not the relay). */
    sendgridUrl: string;
    /** Re-read the key once the cached copy is this old (milliseconds). */
    cacheMs: number;
    /** The bot's think time between two sends (milliseconds). */
    pauseMs: number;
    /** Show the running count this often (milliseconds). */
    statusEveryMs: number;
    /** The certificate its health endpoint serves. */
    tls: LoopbackCertificate;
    report: (line: DisplayLine) => void;
}

/** A running sample bot. */
export interface SampleBot {
    /** `https://127.0.0.1:PORT/healthz`, for the policy's `healthUrl`. */
    readonly healthUrl: string;
    /** Starts sending (once its key's secret exists). */
    run(): void;
    /** Stops after the send in flight, closes the health endpoint; resolves with the totals. */
    stop(): Promise<BotStats>;
}

/** What the bot knows about itself, for the health endpoint and the status line. */
interface Condition {
    calls: number;
    failedCalls: number;
    lastStatus?: number;
    /** The secret version of the key it holds, e.g. "3". */
    version?: string;
    /** When the last successful read of the key started (epoch ms). */
    readAt?: number;
}

/** Starts the health endpoint; `run()` starts the sending loop. */
export async function startSampleBot(options: SampleBotOptions): Promise<SampleBot> {
    const condition: Condition = { calls: 0, failedCalls: 0 };
    const server = https.createServer(
        { key: options.tls.keyPem, cert: options.tls.certPem },
        (req, res) => answerHealthCheck(req, res, condition, options),
    );
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve());
    });
    const port = (server.address() as AddressInfo).port;

    const bot = new SimulatedBot(
        { name: "mail-bot", cacheMs: options.cacheMs },
        watchedReader(options, condition),
        watchedSend(options, condition),
        options.pauseMs,
        [],
    );
    let status: NodeJS.Timeout | undefined;
    return {
        healthUrl: `https://127.0.0.1:${port}/healthz`,
        run: () => {
            bot.start();
            const showCount = () =>
                options.report({
                    lane: "bot",
                    label: "calls",
                    tone: condition.failedCalls > 0 ? "bad" : "plain",
                    detail:
                        `${count(condition.calls)} sends so far, ${count(condition.failedCalls)} ` +
                        `failed; holding version ${condition.version ?? "?"}`,
                });
            status ??= setInterval(showCount, options.statusEveryMs);
        },
        stop: async () => {
            clearInterval(status);
            const stats = await bot.stop();
            await new Promise<void>((resolve) => {
                server.close(() => resolve());
                server.closeAllConnections();
            });
            return stats;
        },
    };
}

/** Reads `versions/latest` and notes which version it got; a new version is reported. */
function watchedReader(options: SampleBotOptions, condition: Condition): KeyReader {
    const name = `${options.secretName}/versions/latest`;
    return async () => {
        const started = Date.now();
        let version;
        try {
            [version] = await options.client.accessSecretVersion({ name });
        } catch (error) {
            // The bot keeps its cached key and tries again on its next send.
            options.report({
                lane: "bot",
                label: "read failed",
                tone: "warn",
                detail: `could not read versions/latest: ${(error as Error).message}`,
            });
            throw error;
        }
        const data = version.payload?.data;
        if (!data) throw new Error(`${name} has no payload`);
        const number = version.name?.split("/").pop();
        if (number !== condition.version) {
            const was = condition.version ? `; was version ${condition.version}` : "";
            options.report({
                lane: "bot",
                label: "reads new key",
                detail: `now sends with version ${number} (read from versions/latest${was})`,
            });
        }
        condition.version = number;
        condition.readAt = started;
        return Buffer.from(data as Uint8Array).toString("utf8");
    };
}

/** Sends one mail with the key; every failed send is reported at once. */
function watchedSend(options: SampleBotOptions, condition: Condition): UseCall {
    const send = sendGridMailSend(options.sendgridUrl);
    return async (key) => {
        const status = await send(key).catch(() => 0);
        condition.calls += 1;
        condition.lastStatus = status;
        if (status < 200 || status > 299) {
            condition.failedCalls += 1;
            options.report({
                lane: "bot",
                label: "call FAILED",
                tone: "bad",
                detail:
                    `POST /v3/mail/send answered ${status || "nothing"} with version ` +
                    `${condition.version ?? "?"} (failed so far: ${condition.failedCalls})`,
            });
        }
        return status;
    };
}

/**
 * GET /healthz: 200 while the bot works (its last send succeeded and it has read its key
 * recently), 503 otherwise. The rotator asks it before revoking the previous key.
 */
function answerHealthCheck(
    req: IncomingMessage,
    res: ServerResponse,
    condition: Condition,
    options: SampleBotOptions,
): void {
    if (req.method !== "GET" || req.url !== "/healthz") {
        res.writeHead(404, { "content-type": "text/plain" }).end("not found");
        return;
    }
    const sent =
        condition.lastStatus !== undefined &&
        condition.lastStatus >= 200 &&
        condition.lastStatus < 300;
    // Reads come every cache length; two of them missed means reading is broken.
    const fresh =
        condition.readAt !== undefined &&
        Date.now() - condition.readAt <= 2 * options.cacheMs + 1000;
    const ok = sent && fresh;
    res.writeHead(ok ? 200 : 503, { "content-type": "application/json" }).end(
        JSON.stringify({
            status: ok ? "ok" : "failing",
            version: condition.version,
            calls: condition.calls,
            failedCalls: condition.failedCalls,
        }),
    );
    options.report({
        lane: "bot",
        label: "health check",
        tone: ok ? "plain" : "warn",
        detail:
            `answered ${ok ? 200 : 503}: ` +
            (ok ? "its last send worked" : "its last send failed or its key is stale") +
            " (the rotator asks before revoking the previous key)",
    });
}
