/**
 * Every preset, end to end against its loopback fake provider, through the real outbound client:
 * create, verify, find by name, revoke, revoke again, and a wrong admin credential. The fake's
 * key register, not the rotator, says whether a key was issued and whether it still works.
 */
import * as assert from "node:assert/strict";
import type { PresetName } from "../../functions/rotator/policy/types";
import { createRotator } from "../../functions/rotator/rotators";
import { usesExpiry } from "../../functions/rotator/rotators/http-call";
import { PRESETS, resolvePreset } from "../../functions/rotator/rotators/presets";
import { Rotator } from "../../functions/rotator/rotators/rotator";
import { startFakeCloudflare } from "../../standins/providers/cloudflare";
import { startFakeDatadog } from "../../standins/providers/datadog";
import { startFakeOpenAI } from "../../standins/providers/openai";
import { OPENROUTER_PAGE_SIZE, startFakeOpenRouter } from "../../standins/providers/openrouter";
import { startFakeSendGrid } from "../../standins/providers/sendgrid";
import type { FakeBase } from "../../standins/providers/server";
import { startFakeTwilio } from "../../standins/providers/twilio";
import { assertNoSecrets, captureLogs, depsWith, RecordingTransport, rejectsWith } from "./support";

const POLICIES = JSON.stringify([
    {
        effect: "allow",
        resources: { "com.cloudflare.api.account.zone.*": "*" },
        permission_groups: [{ id: "c8fed203ed3043cba015a93ad1616f1f" }],
    },
]);

/** How to run one preset against its fake. */
interface PresetCase {
    title: string;
    preset: PresetName;
    expiry: boolean;
    start(): Promise<FakeBase & { admin: Record<string, string> }>;
    params(fake: FakeBase & { admin: Record<string, string> }): Record<string, string>;
    /** The admin secret's value. */
    admin(fake: FakeBase & { admin: Record<string, string> }): string;
    /** A well-formed admin secret the provider refuses. */
    wrongAdmin: string;
    /**
     * Keys on one page of the preset's list, when a list can be longer than a page. Not so for
     * SendGrid (an account holds at most 100 keys, one page), Cloudflare user tokens (at most
     * 50, one page) or Datadog (its list filters by the name).
     */
    pageSize?: number;
}

const CASES: PresetCase[] = [
    {
        title: "SendGrid",
        preset: "sendgrid",
        expiry: false,
        start: () => startFakeSendGrid(),
        params: (fake) => ({ baseUrl: fake.baseUrl, scopes: "mail.send, scopes.read" }),
        admin: (fake) => fake.admin.apiKey,
        wrongAdmin: "SG.wrong.admin-key",
    },
    {
        title: "Cloudflare, account-owned tokens",
        preset: "cloudflare",
        expiry: true,
        start: () => startFakeCloudflare(),
        params: (fake) => ({
            baseUrl: `${fake.baseUrl}/client/v4`,
            accountId: fake.admin.accountId,
            policies: POLICIES,
        }),
        admin: (fake) => fake.admin.token,
        wrongAdmin: "wrong-cloudflare-admin-token",
        pageSize: 50,
    },
    {
        title: "Cloudflare, user-owned tokens",
        preset: "cloudflare",
        expiry: true,
        start: () => startFakeCloudflare(),
        params: (fake) => ({ baseUrl: `${fake.baseUrl}/client/v4`, policies: POLICIES }),
        admin: (fake) => fake.admin.token,
        wrongAdmin: "wrong-cloudflare-admin-token",
    },
    {
        title: "Twilio",
        preset: "twilio",
        expiry: false,
        start: () => startFakeTwilio(),
        params: (fake) => ({
            accountSid: fake.admin.accountSid,
            baseUrl: fake.baseUrl,
            apiBaseUrl: fake.baseUrl,
        }),
        admin: (fake) => fake.admin.authToken,
        wrongAdmin: "0123456789abcdef0123456789abcdef",
        pageSize: 1000,
    },
    {
        title: "Datadog",
        preset: "datadog",
        expiry: false,
        start: () => startFakeDatadog(),
        params: (fake) => ({ site: fake.baseUrl }),
        admin: (fake) =>
            JSON.stringify({
                apiKey: fake.admin.apiKey,
                appKey: fake.admin.applicationKey,
            }),
        wrongAdmin: JSON.stringify({ apiKey: "wrong-dd-api-key", appKey: "wrong-dd-app-key" }),
    },
    {
        title: "OpenAI",
        preset: "openai",
        expiry: false,
        start: () => startFakeOpenAI(),
        params: (fake) => ({ projectId: fake.admin.projectId, baseUrl: fake.baseUrl }),
        admin: (fake) => fake.admin.adminKey,
        wrongAdmin: "sk-admin-wrong",
        pageSize: 100,
    },
    {
        title: "OpenRouter",
        preset: "openrouter",
        expiry: true,
        start: () => startFakeOpenRouter(),
        params: (fake) => ({ baseUrl: fake.baseUrl }),
        admin: (fake) => fake.admin.managementKey,
        wrongAdmin: "sk-or-v1-wrong",
        pageSize: OPENROUTER_PAGE_SIZE,
    },
];

describe("the preset catalogue", () => {
    it("says of each preset what its spec does: expiry, listing, label", () => {
        for (const preset of Object.values(PRESETS)) {
            const required: Record<string, string> =
                {
                    cloudflare: { policies: "[]" },
                    twilio: { accountSid: `AC${"0".repeat(32)}` },
                    openai: { projectId: "proj_abc" },
                }[preset.name as string] ?? {};
            const { spec } = resolvePreset(preset, required);
            assert.equal(preset.expiry, usesExpiry(spec.create), preset.name);
            assert.equal(preset.listing, spec.list !== undefined, preset.name);
            assert.equal(preset.label, spec.label, preset.name);
            assert.ok(preset.docs.startsWith("https://"), preset.name);
            assert.ok(
                preset.params.some((p) => p.name === "baseUrl"),
                `${preset.name} baseUrl`,
            );
        }
    });
});

for (const testCase of CASES) {
    describe(`the ${testCase.title} preset against its fake provider`, () => {
        let fake: FakeBase & { admin: Record<string, string> };
        let logs: ReturnType<typeof captureLogs>;
        let secrets: string[];

        beforeEach(async () => {
            logs = captureLogs();
            fake = await testCase.start();
            secrets = [testCase.admin(fake), ...Object.values(fake.admin), testCase.wrongAdmin];
        });
        afterEach(async () => {
            await fake.stop();
            logs.restore();
            assertNoSecrets(logs.lines.join("\n"), secrets);
        });

        function rotator(admin = testCase.admin(fake)): Rotator {
            const source = createRotator(
                { kind: "http", preset: testCase.preset, params: testCase.params(fake) },
                depsWith(new RecordingTransport(), admin),
            );
            assert.equal(source.mode, "automatic");
            return source.mode === "automatic" ? source.rotator : assert.fail("not automatic");
        }

        it(
            "creates a key the provider issued under the requested name, and the key passes " +
                "verify",
            async () => {
                const subject = rotator();
                const expiresAt = new Date(Date.now() + 30 * 86_400_000 + 123);
                const issued = await subject.create({
                    keyName: "keywarden-bot-a1",
                    attemptId: "a1",
                    expiresAt,
                });
                const record = fake.register.find(issued.keyId);
                assert.ok(record, "the provider has a key with the returned ID");
                assert.equal(record.secret, issued.secret);
                assert.equal(record.name, "keywarden-bot-a1");
                assert.equal(fake.register.isValid(record), true);
                assert.equal(subject.supportsExpiry, testCase.expiry);
                if (testCase.expiry) {
                    const second = Math.floor(expiresAt.getTime() / 1000) * 1000;
                    assert.equal(record.expiresAt, second, "the provider enforces the expiry");
                    assert.equal(issued.expiresAt?.getTime(), second);
                } else {
                    assert.equal(record.expiresAt, undefined);
                    assert.equal(issued.expiresAt, undefined);
                }
                await subject.verify(issued);
            },
        );

        it("finds the key by its exact name, and nothing under another name", async () => {
            const subject = rotator();
            const issued = await subject.create({ keyName: "keywarden-bot-b2", attemptId: "b2" });
            assert.equal(subject.canFindByName, true);
            assert.deepEqual(await subject.findByName("keywarden-bot-b2"), [issued.keyId]);
            assert.deepEqual(await subject.findByName("keywarden-bot-b"), []);
        });

        const pageSize = testCase.pageSize;
        if (pageSize !== undefined) {
            it(
                "finds a key listed after the first page, following the provider's " + "paging",
                async () => {
                    const subject = rotator();
                    // A full first page of other keys, so the one searched for lands on page two.
                    for (let batch = 0; batch < pageSize; batch += 50) {
                        const names = Array.from(
                            { length: Math.min(50, pageSize - batch) },
                            (_, i) => `other-${batch + i}`,
                        );
                        await Promise.all(
                            names.map((keyName) => subject.create({ keyName, attemptId: keyName })),
                        );
                    }
                    const issued = await subject.create({
                        keyName: "keywarden-bot-p9",
                        attemptId: "p9",
                    });
                    const before = fake.requests.count("list");
                    assert.deepEqual(await subject.findByName("keywarden-bot-p9"), [issued.keyId]);
                    assert.ok(
                        fake.requests.count("list") - before >= 2,
                        "the search read more than one page",
                    );
                },
            );
        }

        it(
            "revokes the key so the provider refuses it, and a second revoke is " +
                "already-revoked",
            async () => {
                const subject = rotator();
                const issued = await subject.create({
                    keyName: "keywarden-bot-c3",
                    attemptId: "c3",
                });
                assert.equal(await subject.revoke(issued.keyId), "revoked");
                assert.equal(fake.register.isValid(fake.register.find(issued.keyId)!), false);
                await rejectsWith(subject.verify(issued), "key-rejected", [
                    ...secrets,
                    issued.secret,
                ]);
                assert.equal(await subject.revoke(issued.keyId), "already-revoked");
                assert.deepEqual(await subject.findByName("keywarden-bot-c3"), []);
            },
        );

        it("reports admin-rejected for a wrong admin credential and issues nothing", async () => {
            const before = fake.register.all().length;
            const subject = rotator(testCase.wrongAdmin);
            const created = subject.create({ keyName: "keywarden-bot-d4", attemptId: "d4" });
            const error = await rejectsWith(created, "admin-rejected", secrets);
            assert.match(
                error.message,
                /^\S.* create answered HTTP 40[13]: the admin credential was refused/,
            );
            assert.equal(fake.register.all().length, before);
            await rejectsWith(subject.revoke("some-key-id"), "admin-rejected", secrets);
            await rejectsWith(subject.findByName("keywarden-bot-d4"), "admin-rejected", secrets);
        });
    });
}
