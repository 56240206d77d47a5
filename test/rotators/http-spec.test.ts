/**
 * How the spec-driven rotator reads provider answers: statuses, half-done creates, limits and
 * broken admin secrets, played by the fake SendGrid's fault injection through the real client.
 */
import * as assert from "node:assert/strict";
import type { HttpRotatorSpec } from "../../functions/rotator/policy/types";
import { createRotator } from "../../functions/rotator/rotators";
import { OutboundClient } from "../../functions/rotator/net";
import { HttpSpecRotator } from "../../functions/rotator/rotators/http-spec";
import { PRESETS, resolvePreset } from "../../functions/rotator/rotators/presets";
import { Rotator } from "../../functions/rotator/rotators/rotator";
import { FakeSendGrid, startFakeSendGrid } from "../../standins/providers/sendgrid";
import { captureLogs, depsWith, RecordingTransport, rejectsWith } from "./support";

describe("the spec-driven rotator, reading SendGrid's answers", () => {
    let sendgrid: FakeSendGrid;
    let transport: RecordingTransport;
    let logs: ReturnType<typeof captureLogs>;
    let secrets: string[];

    beforeEach(async () => {
        logs = captureLogs();
        sendgrid = await startFakeSendGrid({ keyLimit: 4 });
        transport = new RecordingTransport();
        secrets = [sendgrid.admin.apiKey];
    });
    afterEach(async () => {
        await sendgrid.stop();
        logs.restore();
    });

    function rotator(params: Record<string, string> = {}): Rotator {
        const config = {
            kind: "http" as const,
            preset: "sendgrid" as const,
            params: { baseUrl: sendgrid.baseUrl, ...params },
        };
        const source = createRotator(config, depsWith(transport, sendgrid.admin.apiKey));
        return source.mode === "automatic" ? source.rotator : assert.fail("not automatic");
    }
    /** The SendGrid preset's spec, changed by `change`, as a rotator. */
    function changedSpec(change: (spec: HttpRotatorSpec) => HttpRotatorSpec, admin: string) {
        const { spec, params } = resolvePreset(PRESETS.sendgrid, { baseUrl: sendgrid.baseUrl });
        return new HttpSpecRotator(change(spec), params, depsWith(transport, admin));
    }
    const request = { keyName: "keywarden-mail-bot-x1", attemptId: "x1" };

    it("sends the comma-separated scopes param as a JSON array", async () => {
        const issued = await rotator({ scopes: "mail.send,stats.read" }).create(request);
        const scopes = ["mail.send", "stats.read"];
        assert.deepEqual(sendgrid.register.find(issued.keyId)?.attributes.scopes, scopes);
        assert.deepEqual(transport.sent[0].json, { name: "keywarden-mail-bot-x1", scopes });
    });

    it("reports bad-response for a 2xx create without a key, found later by name", async () => {
        sendgrid.faults.inject("create", { kind: "missing-key" });
        const subject = rotator();
        const error = await rejectsWith(subject.create(request), "bad-response", secrets);
        assert.equal(
            error.message,
            "SendGrid create answered HTTP 201 without a key at " +
                '"api_key": the key may exist at the provider; it will be looked up by its name ' +
                "and revoked",
        );
        const [orphan] = sendgrid.register.existing().filter((k) => k.name === request.keyName);
        assert.ok(orphan, "the provider did make the key");
        assert.deepEqual(await subject.findByName(request.keyName), [orphan.id]);
    });

    it("reports bad-response for a create answer cut in half", async () => {
        sendgrid.faults.inject("create", { kind: "malformed-body" });
        await rejectsWith(rotator().create(request), "bad-response", secrets);
    });

    it("reports a 429 on create as a limit, without a second create", async () => {
        sendgrid.faults.inject("create", { kind: "rate-limit", retryAfterSeconds: 60 });
        await rejectsWith(rotator().create(request), "limit", secrets);
        assert.equal(sendgrid.requests.count("create"), 1);
        assert.equal(sendgrid.register.existingCount(), 0);
    });

    it("never repeats a create after a 5xx, since the provider may have acted", async () => {
        sendgrid.faults.inject("create", { kind: "orphan", status: 502 });
        const error = await rejectsWith(rotator().create(request), "provider-error", secrets);
        assert.equal(error.status, 502);
        assert.equal(sendgrid.requests.count("create"), 1);
        assert.equal(sendgrid.register.existingCount(), 1, "an orphan the protocol hunts by name");
    });

    it("repeats a revoke after a 5xx, since revoking twice is harmless", async () => {
        const subject = rotator();
        const issued = await subject.create(request);
        sendgrid.faults.inject("revoke", { kind: "server-error", status: 503 });
        assert.equal(await subject.revoke(issued.keyId), "revoked");
        assert.equal(sendgrid.requests.count("revoke"), 2);
    });

    it("reports the key limit (a 403) as admin-rejected, naming the limit as a cause", async () => {
        sendgrid.seedKey("a");
        sendgrid.seedKey("b");
        sendgrid.seedKey("c");
        const error = await rejectsWith(rotator().create(request), "admin-rejected", secrets);
        assert.equal(
            error.message,
            "SendGrid create answered HTTP 403: the admin credential " +
                "was refused; check that the admin secret holds a current credential allowed to " +
                "manage keys (a 403 can also mean the account's key limit is reached)",
        );
    });

    it("rejects a key whose verify answer lacks the expected value", async () => {
        const subject = changedSpec(
            (spec) => ({
                ...spec,
                verify: { ...spec.verify, expectPath: "scopes.0", expectValue: "api_keys.create" },
            }),
            sendgrid.admin.apiKey,
        );
        const issued = await subject.create(request);
        const error = await rejectsWith(subject.verify(issued), "key-rejected", [
            ...secrets,
            issued.secret,
        ]);
        assert.equal(
            error.message,
            'SendGrid verify answered HTTP 200 but "scopes.0" does ' +
                "not show a working key; the key must not be published",
        );
    });

    it("blames the admin secret, sending nothing, when it lacks a JSON field", async () => {
        const headers = { Authorization: "Bearer {{admin.token}}" };
        const admin = JSON.stringify({ tokn: sendgrid.admin.apiKey });
        const subject = changedSpec(
            (spec) => ({ ...spec, create: { ...spec.create, headers } }),
            admin,
        );
        const error = await rejectsWith(subject.create(request), "admin-rejected", secrets);
        assert.equal(
            error.message,
            "SendGrid create: {{admin.token}} has no value: the admin " +
                'secret\'s JSON has no string field "token"; add it',
        );
        assert.equal(transport.sent.length, 0);
    });

    it("refuses to be built without an admin credential when the spec sends one", () => {
        const { spec, params } = resolvePreset(PRESETS.sendgrid, { baseUrl: sendgrid.baseUrl });
        assert.throws(() => new HttpSpecRotator(spec, params, depsWith(transport)), {
            message:
                "SendGrid: the spec sends {{admin}} but the policy names no adminSecret; " +
                "add the ID of the secret holding the provider's admin credential",
        });
    });

    it("reports a URL the production client refuses as needing a person", async () => {
        const strict = new RecordingTransport(new OutboundClient());
        const config = {
            kind: "http" as const,
            preset: "sendgrid" as const,
            params: { baseUrl: sendgrid.baseUrl },
        };
        const source = createRotator(config, depsWith(strict, sendgrid.admin.apiKey));
        assert.equal(source.mode, "automatic");
        if (source.mode !== "automatic") return;
        const error = await rejectsWith(source.rotator.create(request), "needs-human", secrets);
        assert.match(error.message, /^SendGrid create got no usable answer: POST http:\/\/127/);
        assert.equal(sendgrid.requests.count("create"), 0, "nothing reached the provider");
    });

    it("says which address failed, without the admin key, when nothing answers", async () => {
        await sendgrid.stop();
        const error = await rejectsWith(rotator().revoke("abc"), "provider-error", secrets);
        assert.match(
            error.message,
            new RegExp(
                "^SendGrid revoke got no usable answer: " +
                    "DELETE http://127\\.0\\.0\\.1:\\d+/v3/api_keys/abc: gave up after 2 attempts",
            ),
        );
        sendgrid = await startFakeSendGrid();
    });
});
