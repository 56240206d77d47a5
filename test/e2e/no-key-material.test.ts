/**
 * No key material leaves the places meant for it. A busy fleet runs through the function:
 * rotations with every preset, a hand-written spec, Google API keys and Slack tokens; provider
 * faults, orphans, a crash and its recovery, retirements, a reminder, a rejected manual key,
 * Slack delivery failures and bad requests. Then every log line, everything else the process
 * printed, every HTTP answer, Slack message and error thrown inside the function, and the state
 * kept in Secret Manager are scanned for every secret that existed in the run
 * (test/support/leak-scan.ts).
 */
import * as assert from "node:assert/strict";
import { status } from "@grpc/grpc-js";
import { ROLE_LABEL } from "../../functions/rotator/policy/types";
import { STATE_ANNOTATION } from "../../functions/rotator/state/types";
import { startSlackWebhookReceiver, SlackWebhookReceiver } from "../../standins/slack";
import {
    captureProcessOutput,
    ErrorTrap,
    LeakScanner,
    ScannedText,
    SecretCollector,
} from "../support/leak-scan";
import { Answer, GOOGLE_ACCESS_TOKEN, PROJECT, startWorld, World } from "../support/world";
import { BusyFakes, seedBusyFleet, startBusyFakes, trapEngineErrors } from "./support/busy-fleet";

const DAY = 86_400_000;
const LEASE_MS = 60_000;
const SCHEDULED_RUN = { "X-CloudScheduler-ScheduleTime": "2026-08-01T00:00:00Z" };

describe("key material stays out of logs, answers, Slack, errors and state", function () {
    this.timeout(20_000);
    let world: World;
    let fakes: BusyFakes;
    let slack: SlackWebhookReceiver;
    const trap = new ErrorTrap();
    const answers: ScannedText[] = [];
    let printed: ScannedText[] = [];
    let scanner: LeakScanner;

    async function post(path: string, body?: unknown, headers?: Record<string, string>) {
        const answer = await world.post(path, body, headers);
        const where = `answer ${answers.length + 1} to POST ${path}`;
        answers.push({ where, text: JSON.stringify(answer) });
        return answer;
    }
    const outcomes = (answer: Answer): string[] =>
        answer.body.results.map((r: any) => `${r.secret} ${r.action} ${r.outcome}`);

    before(async () => {
        fakes = await startBusyFakes();
        slack = await startSlackWebhookReceiver();
        world = await startWorld({
            slackWebhookUrl: slack.url,
            leaseMs: LEASE_MS,
            wrapDeps: trapEngineErrors(trap),
            outbound: { maxAttempts: 2, sleep: async () => undefined },
        });
        const automatic = await seedBusyFleet(world, fakes);
        const output = captureProcessOutput();
        try {
            await runBusyScenario(automatic);
        } finally {
            output.restore();
            printed = output.texts;
        }
        scanner = collectSecrets().compile();
    });
    after(async () => {
        await world?.stop();
        await slack?.stop();
        await Promise.all(Object.values(fakes ?? {}).map((fake) => fake.stop()));
    });

    async function runBusyScenario(automatic: string[]) {
        const f = fakes;
        // The Telegram token was set up by hand: keywarden adopts it, then tracks its age.
        const adopted = await post("/rotate", { secret: "telegram-token" });
        assert.equal(adopted.body.outcome, "adopted");

        // Round 1: faults at the providers, in Secret Manager and at Slack.
        f.cloudflare.faults.inject("create", { kind: "malformed-body" });
        f.openai.faults.inject("create", { kind: "missing-key" });
        f.twilio.faults.inject("create", { kind: "server-error", status: 503 });
        f.datadog.faults.inject("verify", { kind: "server-error" }, 6);
        f.openrouter.faults.inject("create", { kind: "orphan" });
        f.openrouter.faults.inject("list", { kind: "server-error" }, 2);
        slack.faults.inject("post", { kind: "server-error" }, 2);
        for (const id of automatic) {
            if (id === "backend-key") {
                world.emulator.faults.failNext("AddSecretVersion", 1, status.UNAVAILABLE);
            }
            await post("/rotate", { secret: id, force: true });
        }
        // The attempt that died publishing is recovered once its lease has run out.
        world.clock.advance(LEASE_MS);
        assert.ok(outcomes(await post("/tick")).includes("backend-key recover undone"));

        // Round 2: retirements after the grace period, a reminder before the due date.
        world.clock.advance(2 * DAY);
        assert.ok(outcomes(await post("/tick")).includes("sendgrid-key retire retired"));
        world.clock.advance(22 * DAY);
        assert.ok(outcomes(await post("/tick")).includes("telegram-token remind reminded"));

        // A person replaces the Telegram token, first with a mistyped one, then correctly.
        const telegram = f.telegram.register.all()[0];
        const renewed = f.telegram.revokeViaBotFather(telegram.id);
        const addVersion = (value: string) =>
            world.client.addSecretVersion({
                parent: `projects/${PROJECT}/secrets/telegram-token`,
                payload: { data: Buffer.from(value) },
            });
        await addVersion(`${telegram.id}:AA${"x".repeat(33)}`);
        const mistyped = await post("/rotate", { secret: "telegram-token" });
        assert.equal(mistyped.body.outcome, "failed");
        await addVersion(renewed.secret);
        const replaced = await post("/rotate", { secret: "telegram-token" });
        assert.equal(replaced.body.outcome, "adopted");

        // Round 3: everything due again; SendGrid makes a key but the connection drops.
        f.sendgrid.faults.inject("create", { kind: "orphan", after: "reset" });
        slack.faults.inject("post", { kind: "rate-limit", retryAfterSeconds: 3600 });
        world.clock.advance(9 * DAY);
        await post("/tick", undefined, SCHEDULED_RUN);
        await post("/tick", undefined, SCHEDULED_RUN);

        // Bad requests, some carrying a key pasted into the wrong place.
        const key = f.sendgrid.register.all()[0].secret;
        await post("/rotate", "{not json");
        await post("/rotate", `{"secret": "sendgrid-key", "force": true, "note": "${key}}`);
        await post("/rotate", "secret=sendgrid-key", {
            "content-type": "application/x-www-form-urlencoded",
        });
        await post("/rotate", { secret: key, force: true });
        await post("/rotate", { secret: "sendgrid-key", force: "yes", token: key });
        await post("/rotate", { secret: "no-such-secret" });
        await post("/rotate", { secret: "projects/other-project/secrets/sendgrid-key" });
        for (const id of ["sendgrid-key-state", "sendgrid-key-admin", "slack-webhook"]) {
            await post("/rotate", { secret: id });
        }
        await post("/tick", undefined, { "X-CloudScheduler-ScheduleTime": key });
        await post("/nowhere", {});
    }

    function collectSecrets(): SecretCollector {
        const origins = Object.values(fakes).map((fake) => `${fake.baseUrl}/`);
        const collector = new SecretCollector()
            .addSecret("Slack webhook URL", slack.url)
            // The webhook's origin shows in redacted URLs ("http://127.0.0.1:P/[redacted]").
            .addPublic(`${slack.baseUrl}/`, ...origins)
            .addSecret("the function's Google access token", GOOGLE_ACCESS_TOKEN);
        for (const [name, fake] of Object.entries(fakes)) collector.addFake(name, fake);
        return collector;
    }

    const logLines = () =>
        world.logs.map((line, i) => ({
            where: `log line ${i + 1} (${line.event})`,
            text: JSON.stringify(line),
        }));
    const slackMessages = () =>
        slack.messages.map((message, i) => ({
            where: `Slack message ${i + 1}`,
            text: JSON.stringify(message.body),
        }));

    /** Every annotation, label and alias of every secret, and any payload of a state secret. */
    function storedState(): ScannedText[] {
        return world.emulator.inspect.secretNames().map((name) => {
            const secret = world.emulator.inspect.secret(name)!;
            const { annotations, labels, versionAliases } = secret;
            const payloads =
                labels[ROLE_LABEL] === "state"
                    ? secret.versions.map((v) => v.data?.toString("utf8"))
                    : [];
            const text = JSON.stringify({ annotations, labels, versionAliases, payloads });
            return { where: `metadata of ${name}`, text };
        });
    }

    it("ran the busy scenario it claims to (so the scans below are not vacuous)", () => {
        const counts = new Map<string, number>();
        for (const line of world.logs) counts.set(line.event, (counts.get(line.event) ?? 0) + 1);
        const expected = [
            "rotation.succeeded",
            "rotation.failed",
            "orphan.revoked",
            "orphan.unresolved",
            "attempt.recovered",
            "retirement.succeeded",
            "reminder.due",
            "notify.failed",
            "request.rejected",
        ];
        for (const event of expected) {
            assert.ok(counts.has(event), `logged ${event}: ${JSON.stringify([...counts])}`);
        }
        assert.ok(counts.get("request.rejected")! >= 10);
        assert.ok(
            world.logs.some((line) => line.reason === "entity.parse.failed"),
            "a malformed body was refused",
        );
        assert.ok(slack.messages.length >= 15, `${slack.messages.length} Slack messages`);
        assert.ok(trap.errors.length >= 5, `${trap.errors.length} errors thrown`);
        assert.ok(scanner.secretCount >= 40, `${scanner.secretCount} secrets collected`);
    });

    it("the scanner knows every key published and finds one planted in a log line", async () => {
        let published = 0;
        for (const name of world.emulator.inspect.secretNames()) {
            const secret = world.emulator.inspect.secret(name)!;
            if (secret.labels[ROLE_LABEL] !== "key") continue;
            for (const version of secret.versions.filter((v) => v.data !== undefined)) {
                published++;
                const found = scanner.find(name, version.data!.toString("utf8"));
                assert.ok(found.length > 0, `${name} version ${version.number}`);
            }
        }
        assert.ok(published >= 15, `${published} key versions checked`);
        const current = await world.read("sendgrid-key", "current");
        const line = JSON.stringify({ severity: "ERROR", message: `bad key ${current}` });
        const planted = [...logLines(), { where: "planted", text: line }];
        assert.throws(() => scanner.assertClean(planted), /planted: sendgrid key/);
    });

    it("no log line the function wrote holds key material", () => scanner.assertClean(logLines()));
    it(
        "nothing else the function's process printed holds key material (framework errors " +
            "too)",
        () => scanner.assertClean(printed),
    );
    it("no HTTP answer of the function holds key material", () => scanner.assertClean(answers));
    it("no Slack message holds key material, nor the webhook URL", () =>
        scanner.assertClean(slackMessages()));
    it("no error thrown by the store, rotators, checks or notifier holds key material", () =>
        scanner.assertClean(trap.errors));

    it("the stored state holds key IDs only", () => {
        scanner.assertClean(storedState());
        const stateName = `projects/${PROJECT}/secrets/sendgrid-key-state`;
        const annotations = world.emulator.inspect.secret(stateName)!.annotations;
        const state = JSON.parse(annotations[STATE_ANNOTATION]);
        const ids: string[] = Object.values(state.versions).map((record: any) => record.keyId);
        assert.ok(
            ids.some((id) => fakes.sendgrid.register.find(id)),
            `the provider's key IDs are recorded: ${ids.join(", ")}`,
        );
    });
});

describe("the leak scanner", () => {
    const key = "SG.q7Rk2mXw9PzLbT4nVc8sYe.Hf3Jd6Ga1Ku5Wo0Ni9Bl2Ct7Ex4Zr8Ms1Py6Qv3Ag5Dh";
    const keyId = "q7Rk2mXw9PzLbT4nVc8sYe";
    const token = "7310548826:AAk3Pq9Zr_Xw2Lm7Nb4Vc8Td1Hs6Gf0Jy5R";
    const origin = "http://127.0.0.1:4100/";
    const webhook = `${origin}services/T0A1B2C3D4/B5E6F7G8H9/x8Kd2Lq9Pz3Nw7Rt5Vb1Mc6S`;
    const scanner = new LeakScanner(
        [
            { label: "sendgrid key", value: key },
            { label: "telegram token", value: token },
            { label: "webhook URL", value: webhook },
        ],
        [keyId, origin],
    );
    const basic = Buffer.from(`apikey:${key}`).toString("base64");
    const cases: Array<[string, string, string | undefined]> = [
        ["the whole key in a JSON log line", JSON.stringify({ message: `using ${key}` }), "whole"],
        ["12 characters from the middle of a key", `...${key.slice(30, 42)}...`, "fragment"],
        ["the key in a Basic auth header", `Authorization: Basic ${basic}`, "base64"],
        [
            "a token URL-encoded in a query",
            `GET /check?t=${encodeURIComponent(token)}`,
            "url-encoded",
        ],
        [
            "the webhook URL without its origin",
            "to 127.0.0.1:4100/services/T0A1B2C3D4/B5…",
            "fragment",
        ],
        [
            "the key ID and the webhook origin, which are public",
            `key ${keyId} via ${origin}[redacted]`,
            undefined,
        ],
        ["11 characters of a key", `...${key.slice(30, 41)}...`, undefined],
    ];
    for (const [title, text, form] of cases) {
        it(`${form ? "finds" : "lets pass"} ${title}`, () => {
            const forms = scanner.find("text", text).map((leak) => leak.form);
            assert.deepEqual(forms.slice(0, 1), form ? [form] : []);
        });
    }

    it("refuses secrets too short to be found reliably", () => {
        assert.throws(
            () => new LeakScanner([{ label: "pin", value: "12345" }], []),
            /pin is shorter than 12/,
        );
    });
});
