/**
 * The whole rotation loop on one machine: the Secret Manager emulator, a fake SendGrid (behind a
 * relay that reports the function's calls), a Slack webhook receiver, the sample bot, the rotator
 * function in its own process, and a scheduler tick. Each part is started in order and stopped
 * in the reverse order; if one fails to start, the ones already running are stopped.
 */
import type { SecretManagerServiceClient } from "@google-cloud/secret-manager";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { createSecretManagerClient } from "../functions/rotator/secret-manager-client";
import { seedSecret } from "../standins/fleet/seed";
import { FakeSendGrid, startFakeSendGrid } from "../standins/providers/sendgrid";
import { EmulatorHooks, startSecretManagerEmulator } from "../standins/secret-manager";
import { startSampleBot } from "./bot";
import type { Display, DisplayLine } from "./display";
import { FunctionEvents } from "./function-events";
import { describeExit, ProcessExit, startFunctionProcess } from "./function-process";
import type { SandboxOptions } from "./options";
import { startProviderRelay } from "./provider-relay";
import { followSlack } from "./slack-feed";
import { startTicker } from "./ticker";
import { createLoopbackCertificate } from "./tls/loopback-certificate";

/** The project, fleet, key secret and bot the sandbox declares. */
export const SANDBOX = {
    project: "keywarden-sandbox",
    fleet: "sandbox",
    secretId: "mail-key",
    bot: "mail-bot",
};

/** Signals that ask a process to stop (as opposed to SIGKILL or a crash). */
const STOP_SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/** The sample bot's think time between sends, and how often its running count is shown. */
const BOT_PAUSE_MS = 50;
const BOT_STATUS_EVERY_MS = 5000;

/** What a run did, for the summary and the exit status. */
export interface SandboxSummary {
    durationMs: number;
    rotations: number;
    retirements: number;
    botCalls: number;
    failedCalls: number;
    slackMessages: number;
    ticks: number;
    failedTicks: number;
    /** Log lines of failure events from the function (rotation.failed, ...). */
    functionFailures: number;
    /** Output lines in which key material was found and redacted. */
    redactedLines: number;
    /** Every child process the sandbox started, and how it ended. */
    children: Array<{ pid: number; exit: ProcessExit }>;
}

/** Why a running sandbox ended on its own. */
export interface SandboxEnded {
    reason: string;
    /** True when it ended because something broke (not because it was asked to stop). */
    failure: boolean;
}

/** A running sandbox. */
export interface Sandbox {
    /** Settles if a part stops on its own (the function process exiting). */
    readonly ended: Promise<SandboxEnded>;
    /** Stops every part, last started first, and resolves with the summary. */
    stop(): Promise<SandboxSummary>;
}

/** Starts everything; on a failure, stops what was started and rethrows. */
export async function startSandbox(options: SandboxOptions, display: Display): Promise<Sandbox> {
    const started = Date.now();
    const show = (line: DisplayLine) => display.line(line);
    const teardown: Array<() => Promise<unknown>> = [];
    const children: SandboxSummary["children"] = [];
    let stopping = false;
    // Every step runs even when an earlier one fails: a part left running is worse than a
    // message about the one that would not stop. Taking the steps out makes a second call a no-op.
    const stopAll = async () => {
        stopping = true;
        for (const step of teardown.splice(0).reverse()) {
            try {
                await step();
            } catch (error) {
                show({
                    lane: "sandbox",
                    label: "stop failed",
                    tone: "bad",
                    detail: (error as Error).message,
                });
            }
        }
    };
    try {
        const certificate = createLoopbackCertificate();
        const dir = await mkdtemp(path.join(os.tmpdir(), "keywarden-sandbox-"));
        teardown.push(() => rm(dir, { recursive: true, force: true }));
        const caFile = path.join(dir, "bot-health-ca.pem");
        await writeFile(caFile, certificate.certPem);

        const emulator = await startSecretManagerEmulator();
        teardown.push(() => emulator.stop());
        const env = { SECRET_MANAGER_EMULATOR_HOST: emulator.address };
        const client = createSecretManagerClient(env);
        teardown.push(() => client.close());
        const sendgrid = await startFakeSendGrid();
        teardown.push(() => sendgrid.stop());
        const slack = await followSlack(show);
        teardown.push(() => slack.stop());
        display.watchSecrets(() => [
            ...sendgrid.register.all().map((key) => key.secret),
            sendgrid.admin.apiKey,
            ...slack.secrets,
        ]);
        const relay = await startProviderRelay(sendgrid, show);
        teardown.push(() => relay.stop());

        const keySecret = `projects/${SANDBOX.project}/secrets/${SANDBOX.secretId}`;
        const bot = await startSampleBot({
            client,
            secretName: keySecret,
            sendgridUrl: sendgrid.baseUrl,
            cacheMs: options.botCacheMs,
            pauseMs: BOT_PAUSE_MS,
            statusEveryMs: BOT_STATUS_EVERY_MS,
            tls: certificate,
            report: show,
        });
        const botStats = { calls: 0, failedCalls: 0 };
        teardown.push(async () => Object.assign(botStats, await bot.stop()));
        const webhookSecret = await storeWebhook(client, slack.url);
        await declareMailKey(
            client,
            sendgrid,
            options,
            { healthUrl: bot.healthUrl, providerUrl: relay.baseUrl },
            show,
        );
        teardown.push(watchVersions(emulator.hooks, show));
        bot.run();

        const events = new FunctionEvents(options.verbose);
        const fn = await startFunctionProcess(
            {
                ...env,
                KEYWARDEN_PROJECT: SANDBOX.project,
                KEYWARDEN_FLEET: SANDBOX.fleet,
                KEYWARDEN_ALLOW_LOOPBACK: "true",
                KEYWARDEN_SLACK_WEBHOOK_SECRET: webhookSecret,
                // The function trusts the bot's health-check certificate like any public CA's.
                NODE_EXTRA_CA_CERTS: caFile,
            },
            (line) => {
                const shown = events.read(line);
                if (shown) show(shown);
            },
        );
        show({
            lane: "sandbox",
            label: "function started",
            detail: `pid ${fn.pid}, listening on ${fn.url} (Functions Framework)`,
        });
        teardown.push(async () => {
            const exit = await fn.stop();
            children.push({ pid: fn.pid, exit });
            show({
                lane: "sandbox",
                label: "function stopped",
                detail: `pid ${fn.pid}: ${describeExit(exit)}`,
            });
        });
        const ended = fn.exited.then((exit): SandboxEnded => ({
            reason: `the function process (pid ${fn.pid}) exited: ${describeExit(exit)}`,
            // A terminal's Ctrl-C or hang-up reaches it too, possibly before the sandbox acts:
            // exiting 0 (its SIGINT/SIGTERM handler) or by one of those signals is a stop.
            failure: exit.code !== 0 && !STOP_SIGNALS.includes(exit.signal ?? "SIGKILL"),
        }));
        void ended.then((end) => {
            if (!stopping) {
                show({
                    lane: "sandbox",
                    label: "function exited",
                    detail: end.reason,
                    tone: end.failure ? "bad" : "warn",
                });
            }
        });

        const ticker = startTicker(fn.url, options.tickMs, options.verbose, show);
        teardown.push(() => ticker.stop());
        show({
            lane: "sandbox",
            label: "ticking",
            detail: `POST /tick every ${seconds(options.tickMs)}`,
        });

        const summarise = (): SandboxSummary => ({
            durationMs: Date.now() - started,
            rotations: events.tally.rotations,
            retirements: events.tally.retirements,
            botCalls: botStats.calls,
            failedCalls: botStats.failedCalls,
            slackMessages: slack.count,
            ticks: ticker.ticks,
            failedTicks: ticker.failedTicks,
            functionFailures: events.tally.failures,
            redactedLines: display.redacted,
            children,
        });
        const stop = async () => {
            await stopAll();
            return summarise();
        };
        return { ended, stop };
    } catch (error) {
        await stopAll();
        throw error;
    }
}

/** Stores the Slack webhook URL as a secret, as the fleet does; returns the secret's name. */
async function storeWebhook(client: SecretManagerServiceClient, url: string): Promise<string> {
    const [secret] = await client.createSecret({
        parent: `projects/${SANDBOX.project}`,
        secretId: "slack-webhook",
        secret: { replication: { automatic: {} } },
    });
    await client.addSecretVersion({ parent: secret.name!, payload: { data: Buffer.from(url) } });
    return secret.name!;
}

/**
 * Declares the bot's key as the bot component would: version 1 holds a SendGrid key set up by
 * hand, and the policy names the provider (through the relay), the periods and the health check.
 */
async function declareMailKey(
    client: SecretManagerServiceClient,
    sendgrid: FakeSendGrid,
    options: SandboxOptions,
    urls: { healthUrl: string; providerUrl: string },
    show: (line: DisplayLine) => void,
): Promise<void> {
    const initial = sendgrid.seedKey("set up by hand");
    await seedSecret(client, {
        project: SANDBOX.project,
        fleet: SANDBOX.fleet,
        id: SANDBOX.secretId,
        initialKey: initial.secret,
        adminCredential: sendgrid.admin.apiKey,
        policy: {
            bot: SANDBOX.bot,
            rotationPeriod: options.rotationPeriod,
            gracePeriod: options.gracePeriod,
            healthUrl: urls.healthUrl,
            rotator: { kind: "http", preset: "sendgrid", params: { baseUrl: urls.providerUrl } },
        },
    });
    show({
        lane: "sandbox",
        label: "declared",
        detail:
            `${SANDBOX.secretId} for ${SANDBOX.bot}: ` +
            `version 1 holds SendGrid key ${initial.id}, set up by hand`,
    });
    show({
        lane: "sandbox",
        label: "policy",
        detail:
            `rotate every ${options.rotationPeriod}, ` +
            `grace period ${options.gracePeriod}, health check ${urls.healthUrl}`,
    });
}

/** Shows each version the emulator adds or destroys; returns the step that stops watching. */
function watchVersions(
    hooks: EmulatorHooks,
    show: (line: DisplayLine) => void,
): () => Promise<void> {
    // Version names are projects/P/secrets/S/versions/N.
    const describe = (name: unknown) => {
        const parts = String(name ?? "").split("/");
        return `${parts[3]} version ${parts[5]}`;
    };
    const removers = [
        hooks.afterApply("AddSecretVersion", (call) =>
            show({
                lane: "secrets",
                label: "published",
                detail:
                    `${describe(call.response?.name)} added (AddSecretVersion); bots reading ` +
                    "versions/latest get it from now on",
            }),
        ),
        hooks.afterApply("DestroySecretVersion", (call) =>
            show({
                lane: "secrets",
                label: "destroyed",
                detail:
                    `${describe(call.request?.name)} (DestroySecretVersion): its payload ` +
                    "is gone",
            }),
        ),
    ];
    return async () => removers.forEach((remove) => remove());
}

function seconds(ms: number): string {
    return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
