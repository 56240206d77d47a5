/**
 * Every fake provider at once, for the local sandbox and traffic simulations that need the
 * whole catalogue running: one call starts them all on loopback with a shared clock, one call
 * stops them all. If any fake fails to start, the ones already started are stopped again.
 */
import type { Clock } from "./clock";
import { startFakeBotBackend, type FakeBotBackend } from "./bot-backend";
import { startFakeCloudflare, type FakeCloudflare } from "./cloudflare";
import { startFakeDatadog, type FakeDatadog } from "./datadog";
import { startFakeGoogleApiKeys, type FakeGoogleApiKeys } from "./google-api-keys";
import { startFakeOpenAI, type FakeOpenAI } from "./openai";
import { startFakeOpenRouter, type FakeOpenRouter } from "./openrouter";
import { startFakeSendGrid, type FakeSendGrid } from "./sendgrid";
import { startFakeSlackOAuth, type FakeSlackOAuth } from "./slack-oauth";
import { startFakeTelegram, type FakeTelegram } from "./telegram";
import { startFakeTwilio, type FakeTwilio } from "./twilio";

/** One running fake per provider, keyed by the provider's short name. */
export interface FakeFleet {
    readonly sendgrid: FakeSendGrid;
    readonly cloudflare: FakeCloudflare;
    readonly twilio: FakeTwilio;
    readonly datadog: FakeDatadog;
    readonly openai: FakeOpenAI;
    readonly openrouter: FakeOpenRouter;
    readonly google: FakeGoogleApiKeys;
    readonly slack: FakeSlackOAuth;
    readonly telegram: FakeTelegram;
    readonly botBackend: FakeBotBackend;
    /** Stops every fake. */
    stop(): Promise<void>;
}

/** Starts every fake with default options and the given clock (default: the system clock). */
export async function startFakeFleet(options: { clock?: Clock } = {}): Promise<FakeFleet> {
    const starters = {
        sendgrid: startFakeSendGrid,
        cloudflare: startFakeCloudflare,
        twilio: startFakeTwilio,
        datadog: startFakeDatadog,
        openai: startFakeOpenAI,
        openrouter: startFakeOpenRouter,
        google: startFakeGoogleApiKeys,
        slack: startFakeSlackOAuth,
        telegram: startFakeTelegram,
        botBackend: startFakeBotBackend,
    };
    const started = await Promise.allSettled(
        Object.values(starters).map((start) => start({ clock: options.clock })),
    );
    const running = started.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    const stop = async () => void (await Promise.all(running.map((fake) => fake.stop())));
    const failed = started.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) {
        await stop();
        throw failed.reason;
    }
    const names = Object.keys(starters);
    const fakes = Object.fromEntries(names.map((name, i) => [name, running[i]]));
    return { ...(fakes as Omit<FakeFleet, "stop">), stop };
}
