/**
 * The checks of keys a person replaces, against loopback fakes through the real client: a live
 * key passes, a revoked one is key-rejected, and the key never shows in an error, not even
 * Telegram's, which travels in the URL path.
 */
import * as assert from "node:assert/strict";
import type { ManualVerifierName } from "../../functions/rotator/policy/types";
import { createRotator } from "../../functions/rotator/rotators";
import { KeyChecker } from "../../functions/rotator/rotators/rotator";
import { FakeTelegram, startFakeTelegram } from "../../standins/providers/telegram";
import { FakeVerifier, FakeVerifierName, startFakeVerifier } from "./manual-fakes";
import { captureLogs, depsWith, RecordingTransport, rejectsWith } from "./support";

function checker(
    verify: ManualVerifierName,
    endpoint: string,
    transport = new RecordingTransport(),
): KeyChecker {
    const source = createRotator({ kind: "manual", verify, endpoint }, depsWith(transport));
    assert.ok(source.mode === "manual" && source.checker);
    return source.checker;
}

const LABELS: Record<FakeVerifierName, string> = {
    discord: "Discord",
    anthropic: "Anthropic",
    github: "GitHub",
    stripe: "Stripe",
};

for (const name of Object.keys(LABELS) as FakeVerifierName[]) {
    describe(`the ${LABELS[name]} key check`, () => {
        let fake: FakeVerifier;
        let logs: ReturnType<typeof captureLogs>;
        beforeEach(async () => {
            logs = captureLogs();
            fake = await startFakeVerifier(name);
        });
        afterEach(async () => {
            await fake.stop();
            logs.restore();
        });

        it("passes a live key and rejects it once revoked, without showing it", async () => {
            const key = fake.seedKey();
            const check = checker(name, fake.baseUrl);
            assert.equal(check.label, LABELS[name]);
            await check.verify(key.secret);
            fake.register.revoke(key.id);
            const error = await rejectsWith(check.verify(key.secret), "key-rejected", [key.secret]);
            assert.equal(
                error.message,
                `${LABELS[name]} check answered HTTP 401: the key no ` +
                    "longer works; replace it now",
            );
        });

        it("reports a provider outage as provider-error, not as a dead key", async () => {
            const key = fake.seedKey();
            fake.faults.inject("verify", { kind: "server-error", status: 500 }, 2);
            const check = checker(name, fake.baseUrl);
            await rejectsWith(check.verify(key.secret), "provider-error", [key.secret]);
        });
    });
}

describe("the Stripe key check, for a restricted key", () => {
    it("passes a restricted key that may not read the balance: the key itself works", async () => {
        const stripe = await startFakeVerifier("stripe");
        try {
            await checker("stripe", stripe.baseUrl).verify(stripe.seedKey(true).secret);
        } finally {
            await stripe.stop();
        }
    });
});

describe("the Telegram bot token check", () => {
    let telegram: FakeTelegram;
    let logs: ReturnType<typeof captureLogs>;
    beforeEach(async () => {
        logs = captureLogs();
        telegram = await startFakeTelegram();
    });
    afterEach(async () => {
        await telegram.stop();
        logs.restore();
    });

    it("passes a live token and rejects one BotFather revoked", async () => {
        const key = telegram.seedKey();
        const check = checker("telegram", telegram.baseUrl);
        await check.verify(key.secret);
        telegram.revokeViaBotFather(key.id);
        const error = await rejectsWith(check.verify(key.secret), "key-rejected", [key.secret]);
        assert.equal(
            error.message,
            "Telegram check answered HTTP 401: the key no longer works; replace it now",
        );
    });

    it(
        "keeps the token in the URL path out of errors and log lines, even when the request " +
            "fails",
        async () => {
            const key = telegram.seedKey();
            telegram.faults.inject("verify", { kind: "server-error", status: 503 }, 2);
            const transport = new RecordingTransport();
            const check = checker("telegram", telegram.baseUrl, transport);
            const tokenPart = key.secret.split(":")[1];
            const error = await rejectsWith(check.verify(key.secret), "provider-error", [
                key.secret,
                tokenPart,
            ]);
            assert.match(
                error.message,
                new RegExp(
                    "^Telegram check got no usable answer: " +
                        "GET http://127\\.0\\.0\\.1:\\d+/\\[redacted\\]:",
                ),
            );
            assert.equal(
                transport.sent[0].secrets?.[0],
                key.secret,
                "the token is declared secret",
            );
            assert.ok(logs.lines.length > 0, "the retry was logged");
            assert.ok(!logs.lines.join("\n").includes(tokenPart), "no log line holds the token");
        },
    );

    it("rejects a token that is not shaped like one without sending it anywhere", async () => {
        const transport = new RecordingTransport();
        const error = await rejectsWith(
            checker("telegram", telegram.baseUrl, transport).verify("123:abc/../../evil"),
            "key-rejected",
            ["123:abc/../../evil"],
        );
        assert.equal(
            error.message,
            "Telegram check: the stored key is not shaped like a Telegram token (digits, a " +
                "colon, then letters); nothing was sent: store the token as the provider shows it",
        );
        assert.equal(transport.sent.length, 0);
    });

    it("is no check at all when the config names none", () => {
        assert.deepEqual(createRotator({ kind: "manual" }, depsWith(new RecordingTransport())), {
            mode: "manual",
            checker: undefined,
        });
    });
});
