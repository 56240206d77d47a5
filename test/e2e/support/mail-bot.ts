/**
 * One bot with one SendGrid key, deployed end to end on loopback: the world (emulator, function,
 * official client, clock, log lines), a fake SendGrid, and optionally a Slack receiver. The
 * concurrency, write-back, fault and bad-input tests all start from it, and check the same
 * invariants afterwards (see `assertSound`).
 */
import * as assert from "node:assert/strict";
import { decodeState } from "../../../functions/rotator/state/codec";
import { RotationState } from "../../../functions/rotator/state/types";
import type { SecretManagerMethod } from "../../../standins/secret-manager";
import { FakeSendGrid, IssuedKey, startFakeSendGrid } from "../../../standins/providers";
import { startSlackWebhookReceiver, SlackWebhookReceiver } from "../../../standins/slack";
import { PROJECT, startWorld, World, WorldOptions } from "../../support/world";

/** One day in milliseconds, for moving the test clock. */
export const DAY = 86_400_000;
/** The mail bot's key secret: its ID, its full name, and its state secret's full name. */
export const KEY_SECRET = "mail-key";
/** @see KEY_SECRET */
export const KEY_NAME = `projects/${PROJECT}/secrets/${KEY_SECRET}`;
/** @see KEY_SECRET */
export const STATE_NAME = `${KEY_NAME}-state`;

/** The Secret Manager methods that change something: "changed nothing" means none was called. */
export const WRITE_METHODS: SecretManagerMethod[] = [
    "CreateSecret",
    "UpdateSecret",
    "DeleteSecret",
    "AddSecretVersion",
    "EnableSecretVersion",
    "DisableSecretVersion",
    "DestroySecretVersion",
];

/** A running deployment with the mail bot's key seeded (version 1, made by hand). */
export interface MailBot {
    world: World;
    sendgrid: FakeSendGrid;
    /** Present when started with `slack: true`. */
    slack?: SlackWebhookReceiver;
    /** The key set up by hand, published as version 1. */
    initial: IssuedKey;
    stop(): Promise<void>;
}

/** Options of `startMailBot`. */
export interface MailBotOptions {
    slack?: boolean;
    world?: Omit<WorldOptions, "slackWebhookUrl">;
    /** Policy fields to override (e.g. `healthUrl`, `gracePeriod`). */
    policy?: Record<string, unknown>;
    /** SendGrid base URL written into the policy; default the fake's own. */
    baseUrl?: string;
}

/** Starts the deployment and seeds `mail-key` (rotation every 30 days, 2 days of grace). */
export async function startMailBot(options: MailBotOptions = {}): Promise<MailBot> {
    const sendgrid = await startFakeSendGrid();
    const slack = options.slack ? await startSlackWebhookReceiver() : undefined;
    const world = await startWorld({ ...options.world, slackWebhookUrl: slack?.url });
    const stop = async () => {
        await world.stop();
        await slack?.stop();
        await sendgrid.stop();
    };
    const initial = sendgrid.seedKey("set up by hand");
    try {
        const baseUrl = options.baseUrl ?? sendgrid.baseUrl;
        await world.seed({
            id: KEY_SECRET,
            initialKey: initial.secret,
            adminCredential: sendgrid.admin.apiKey,
            policy: {
                bot: "mail-bot",
                rotationPeriod: "30d",
                gracePeriod: "2d",
                rotator: { kind: "http", preset: "sendgrid", params: { baseUrl } },
                ...options.policy,
            } as never,
        });
    } catch (error) {
        await stop();
        throw error;
    }
    world.emulator.calls.reset();
    return { world, sendgrid, slack, initial, stop };
}

/** The rotation state as stored in the state secret, decoded (throws if it does not decode). */
export function stateOf(world: World, stateSecret = STATE_NAME): RotationState {
    const secret = world.emulator.inspect.secret(stateSecret);
    assert.ok(secret, `${stateSecret} exists`);
    return decodeState(secret.annotations);
}

/** How many write calls the emulator has received since the last reset. */
export function writeCalls(world: World): number {
    return WRITE_METHODS.reduce((sum, method) => sum + world.emulator.calls.count(method), 0);
}

/** The `current` and `previous` aliases of the key secret, as version numbers. */
export function aliasesOf(world: World): Record<string, number> {
    return { ...world.emulator.inspect.secret(KEY_NAME)!.versionAliases };
}

/** Log lines with this event name. */
export function events(world: World, event: string): Array<Record<string, any>> {
    return world.logs.filter((line) => line.event === event);
}

/**
 * The guarantees that must hold after anything, fault or not:
 * - the state decodes and holds no pending attempt (none should be left once recovered);
 * - the `current` alias and the state agree, and the current key works at the provider;
 * - every key the provider ever issued is the current one, the previous one, revoked, made by
 *   hand (version 1), or named (by key ID or key name) in an `orphan.unresolved` alert.
 */
export async function assertSound(bot: MailBot): Promise<void> {
    const { world, sendgrid } = bot;
    const state = stateOf(world);
    assert.equal(state.pending, undefined, `no attempt is left: ${JSON.stringify(state.pending)}`);
    const aliases = aliasesOf(world);
    const current = await world.read(KEY_SECRET, state.current ? "current" : "latest");
    if (state.current) {
        assert.equal(String(aliases.current), state.current, "the current alias matches the state");
    }
    const currentKey = sendgrid.register.findBySecret(current);
    assert.ok(currentKey && sendgrid.register.isValid(currentKey), "the current key works");

    const previous = state.previous ? await world.read(KEY_SECRET, "previous") : undefined;
    const alerts = events(world, "orphan.unresolved");
    for (const key of sendgrid.register.all()) {
        const accounted =
            key.secret === current ||
            key.secret === previous ||
            key.revokedAt !== undefined ||
            key.id === bot.initial.id ||
            alerts.some((line) => line.keyId === key.id || line.keyName === key.name);
        assert.ok(
            accounted,
            `key ${key.id} (${key.name}) is current, previous, revoked or named in an alert`,
        );
    }
}

/** Asserts that no log line, Slack message or given answer holds a key or the admin key. */
export function assertNoKeyMaterial(bot: MailBot, ...answers: unknown[]): void {
    const texts = [
        ...bot.world.logs.map((line) => JSON.stringify(line)),
        ...(bot.slack?.messages ?? []).map((message) => JSON.stringify(message.body)),
        ...answers.map((answer) => JSON.stringify(answer)),
    ];
    const keys = [
        ...bot.sendgrid.register.all().map((key) => key.secret),
        bot.sendgrid.admin.apiKey,
    ];
    for (const key of keys) {
        assert.ok(
            !texts.some((text) => text.includes(key)),
            "no key appears in a log line, a Slack message or an answer",
        );
    }
}
