/**
 * Bad fleet arguments fail before anything is declared, with every problem in one message that
 * names the argument and the fix. Each case compares the whole message.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { checkFleetArgs, Fleet } from "../../components/fleet/fleet";
import { FleetArgs } from "../../components/fleet/args";
import { runUnderMocks } from "./harness";
import { makeFunctionDir, nativeFleetArgs, relayFleetArgs, removeFunctionDirs } from "./fixtures";
import { T } from "./tokens";

/** The message of a KeywardenConfigError about Fleet "prod", written out independently. */
function message(...problems: string[]): string {
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    return (
        `keywarden found ${count} in the arguments of Fleet "prod"; nothing was declared:\n` +
        problems.map((problem) => `  - ${problem}`).join("\n")
    );
}

function messageOf(args: FleetArgs): string {
    try {
        checkFleetArgs("prod", args);
    } catch (error) {
        return (error as Error).message;
    }
    return "no error";
}

describe("Fleet argument validation", () => {
    let dir: string;
    before(() => {
        dir = makeFunctionDir();
    });
    after(removeFunctionDirs);

    it("refuses a fleet without a Slack route", () => {
        assert.strictEqual(
            messageOf(nativeFleetArgs(dir, { slack: undefined as any })),
            message(
                'slack is missing: give slack.webhookUrl and slack.alertRoute ("native" with ' +
                    'channelName and authToken, or "relay"), so that alerts reach someone',
            ),
        );
    });

    it("refuses an unknown alert route", () => {
        const slack = { webhookUrl: pulumi.secret("x"), alertRoute: "email" as any };
        assert.strictEqual(
            messageOf(nativeFleetArgs(dir, { slack })),
            message(
                'slack.alertRoute must be "native" or "relay" (got "email"): choose how Cloud ' +
                    "Monitoring alerts reach Slack",
            ),
        );
    });

    it("refuses the native route without its channel and token", () => {
        const slack = { webhookUrl: pulumi.secret("x"), alertRoute: "native" as const };
        assert.strictEqual(
            messageOf(nativeFleetArgs(dir, { slack })),
            message(
                "slack.channelName is missing: give the Slack channel for alerts, e.g. " +
                    '"#bot-alerts" (alertRoute "native" needs it)',
                "slack.authToken is missing: give the bot token of the Google Cloud Monitoring " +
                    "Slack " +
                    'app (alertRoute "native" needs it), or use alertRoute "relay"',
            ),
        );
    });

    it("refuses a relay with native settings, and a webhook URL that is not Slack's", () => {
        const slack = {
            webhookUrl: "https://example.com/hook-credential",
            alertRoute: "relay" as const,
            channelName: "#bot-alerts",
        };
        const text = messageOf(relayFleetArgs(dir, { slack }));
        assert.strictEqual(
            text,
            message(
                "slack.webhookUrl is not a Slack incoming-webhook URL " +
                    "(https://hooks.slack.com/services/...): copy it from the Incoming Webhooks " +
                    "page of your Slack app",
                'slack.channelName cannot be combined with alertRoute "relay" (the relay posts ' +
                    "to " +
                    'webhookUrl): remove it, or use alertRoute "native"',
            ),
        );
        assert.ok(!text.includes("hook-credential"), "the webhook URL is a credential");
    });

    it("refuses a fleet name beyond Google's limits", () => {
        const args = nativeFleetArgs(dir, { fleetName: "Production_Fleet_2026" });
        assert.strictEqual(
            messageOf(args),
            message(
                'fleetName "Production_Fleet_2026" must be 1 to 20 lowercase letters, digits or ' +
                    "hyphens, starting with a letter and not ending with a hyphen (it is a label " +
                    "value " +
                    'and the prefix of service account IDs): choose a name such as "prod"',
            ),
        );
    });

    it("refuses a project that is not a project ID", () => {
        assert.strictEqual(
            messageOf(nativeFleetArgs(dir, { project: "My Project" })),
            message(
                'project "My Project" is not a project ID (6 to 30 lowercase letters, digits or ' +
                    "hyphens, starting with a letter): give the project ID, not its name or number",
            ),
        );
    });

    it("refuses bad durations and counts of the tick", () => {
        const args = nativeFleetArgs(dir, {
            tickDeadline: "45 minutes",
            heartbeatAbsence: "90s",
            tickRetryCount: 9,
        });
        assert.strictEqual(
            messageOf(args),
            message(
                "tickRetryCount (9) must be a whole number from 0 to 5: Cloud Scheduler retries " +
                    "0 to 5 times",
                'tickDeadline "45 minutes" is not a duration: use a whole number and a unit (w, ' +
                    "d, " +
                    'h, m, s), for example "30d", "12h" or "1d12h"',
                'heartbeatAbsence (90s) must be whole minutes and at least "2m", the shortest ' +
                    "absence Cloud Monitoring can alert on: lengthen it",
            ),
        );
    });

    it("refuses a tick deadline outside Cloud Scheduler's range", () => {
        assert.strictEqual(
            messageOf(nativeFleetArgs(dir, { tickDeadline: "1h" })),
            message(
                'tickDeadline (1h) must be between "15s" and "30m", the range Cloud Scheduler ' +
                    "accepts for an attempt deadline",
            ),
        );
    });

    it("refuses a missing build of the function", () => {
        assert.strictEqual(
            messageOf(nativeFleetArgs("/nonexistent/dist/function")),
            message(
                'functionDir "/nonexistent/dist/function" is not a directory: run `npm run ' +
                    "build:function` first, or pass the directory of the built function",
            ),
        );
    });

    it("refuses a build without its package.json", () => {
        const partial = makeFunctionDir();
        fs.rmSync(`${partial}/package.json`);
        assert.strictEqual(
            messageOf(nativeFleetArgs(partial)),
            message(
                `functionDir "${partial}" has no package.json: run \`npm run build:function\` ` +
                    `again, ` +
                    "or pass the directory of the built function",
            ),
        );
    });

    it("declares nothing, not even the component, when the arguments are bad", async () => {
        const args = nativeFleetArgs(dir, { fleetName: "-" });
        const run = await runUnderMocks(() => void new Fleet("prod", args));
        assert.match(
            String(run.error?.message),
            /^keywarden found 1 problem in the arguments of Fleet "prod"/,
        );
        assert.deepStrictEqual(
            run.recording.resources.map((r) => r.type),
            [T.Stack],
        );
    });
});
