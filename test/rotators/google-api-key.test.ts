/**
 * Google Cloud API keys end to end against the fake API Keys API (long-running operations,
 * soft delete, lookupKey) and its Gemini calls, through the real outbound client.
 */
import * as assert from "node:assert/strict";
import type { GoogleApiKeyRotatorConfig } from "../../functions/rotator/policy/types";
import { createRotator } from "../../functions/rotator/rotators";
import {
    GOOGLE_ANNOTATIONS,
    GoogleApiKeyRotator,
} from "../../functions/rotator/rotators/google-api-key";
import { apiKeyIdFor } from "../../functions/rotator/rotators/google-rest";
import {
    FakeGoogleApiKeys,
    startFakeGoogleApiKeys,
} from "../../standins/providers/google-api-keys";
import { captureLogs, depsWith, RecordingTransport, rejectsWith } from "./support";

const GEMINI_ACCOUNT = "gemini-bot@bots-dev.iam.gserviceaccount.com";
const GEMINI_ONLY = { apiTargets: [{ service: "generativelanguage.googleapis.com" }] };

describe("Google API keys against the fake API Keys API", () => {
    let google: FakeGoogleApiKeys;
    let transport: RecordingTransport;
    let logs: ReturnType<typeof captureLogs>;
    let secrets: string[];

    beforeEach(async () => {
        logs = captureLogs();
        google = await startFakeGoogleApiKeys({ pollsUntilDone: 2 });
        transport = new RecordingTransport();
        secrets = [google.admin.accessToken];
    });
    afterEach(async () => {
        await google.stop();
        logs.restore();
    });

    function rotator(
        extra: Partial<GoogleApiKeyRotatorConfig> = {},
        token = google.admin.accessToken,
        pollDelaysMs = [1, 1, 1, 1],
    ): GoogleApiKeyRotator {
        const config: GoogleApiKeyRotatorConfig = {
            kind: "google-api-key",
            project: "bots-dev",
            endpoint: google.baseUrl,
            ...extra,
        };
        const deps = depsWith(transport, undefined, token);
        return new GoogleApiKeyRotator(config, deps, { pollDelaysMs });
    }
    const request = { keyName: "keywarden-gemini-bot-g1", attemptId: "g1" };
    const geminiUrl = () => `${google.baseUrl}/v1beta/models?key={{key}}`;

    it("creates a key named after the attempt, polling its operation to the end", async () => {
        const subject = rotator({
            displayName: "gemini",
            restrictions: GEMINI_ONLY,
            serviceAccountEmail: GEMINI_ACCOUNT,
        });
        const issued = await subject.create(request);
        assert.equal(google.requests.count("poll"), 2, "polled until the operation was done");
        const record = google.register.find(issued.keyId)!;
        assert.equal(record.secret, issued.secret);
        assert.match(
            issued.keyId,
            /^projects\/\d+\/locations\/global\/keys\/keywarden-gemini-bot-g1$/,
        );
        assert.equal(record.name, "gemini g1");
        assert.deepEqual(record.attributes.annotations, {
            [GOOGLE_ANNOTATIONS.keyName]: request.keyName,
            [GOOGLE_ANNOTATIONS.attempt]: "g1",
        });
        assert.deepEqual(record.attributes.restrictions, GEMINI_ONLY);
        assert.equal(record.attributes.serviceAccountEmail, GEMINI_ACCOUNT);
        assert.equal(issued.expiresAt, undefined);
        await subject.verify(issued);
        assert.equal(google.requests.count("lookup"), 1);
        assert.deepEqual(
            transport.sent.map((r) => r.idempotent),
            [false, true, true, true],
        );
    });

    it("reads the key string separately when the finished operation lacks it", async () => {
        google.faults.inject("poll", { kind: "missing-key" }, 2);
        const issued = await rotator().create(request);
        assert.equal(google.register.find(issued.keyId)?.secret, issued.secret);
        assert.equal(google.requests.count("get"), 1, "GET .../keyString was called");
    });

    it("verifies with the configured Gemini call, refusing keys Gemini refuses", async () => {
        const bound = rotator({
            restrictions: GEMINI_ONLY,
            serviceAccountEmail: GEMINI_ACCOUNT,
            verifyUrl: geminiUrl(),
        });
        await bound.verify(await bound.create(request));

        const unbound = rotator({ restrictions: GEMINI_ONLY, verifyUrl: geminiUrl() });
        const issued = await unbound.create({ keyName: "keywarden-gemini-g2", attemptId: "g2" });
        const error = await rejectsWith(unbound.verify(issued), "key-rejected", [
            ...secrets,
            issued.secret,
        ]);
        assert.equal(
            error.message,
            "Google API Keys verify answered HTTP 403: the provider " +
                "refused the key (check the scopes or permissions it was given)",
        );
    });

    it("finds the key by name and deletes it; a second delete is already-revoked", async () => {
        const subject = rotator();
        const issued = await subject.create(request);
        google.seedKey({ keyId: "made-by-hand" });
        assert.deepEqual(await subject.findByName(request.keyName), [issued.keyId]);
        assert.equal(await subject.revoke(issued.keyId), "revoked");
        assert.equal(google.register.isValid(google.register.find(issued.keyId)!), false);
        await rejectsWith(subject.verify(issued), "key-rejected", [...secrets, issued.secret]);
        assert.equal(await subject.revoke(issued.keyId), "already-revoked");
        assert.deepEqual(await subject.findByName(request.keyName), []);
    });

    it("reports admin-rejected for a token the API refuses, and issues nothing", async () => {
        const wrong = "ya29.not-the-right-token";
        const error = await rejectsWith(rotator({}, wrong).create(request), "admin-rejected", [
            ...secrets,
            wrong,
        ]);
        assert.equal(
            error.message,
            "Google API Keys create answered HTTP 401: the function's " +
                "service account was refused; grant it roles/serviceusage.apiKeysAdmin on the " +
                "project, and check the project ID",
        );
        assert.equal(google.register.all().length, 0);
    });

    it("stops polling after bounded pauses, saying the operation may still finish", async () => {
        await google.stop();
        google = await startFakeGoogleApiKeys({ pollsUntilDone: 10 });
        const subject = rotator({}, google.admin.accessToken, [1, 1]);
        const error = await rejectsWith(subject.create(request), "provider-error", [
            google.admin.accessToken,
        ]);
        assert.equal(
            error.message,
            "Google API Keys create did not finish within 1 s: it may " +
                "still complete; the next tick looks again",
        );
        assert.equal(google.requests.count("poll"), 2);
    });

    it("puts nothing but a key resource name into a delete URL", async () => {
        const error = await rejectsWith(
            rotator().revoke("projects/1/locations/global/keys/../../x"),
            "needs-human",
            secrets,
        );
        assert.match(error.message, /is not an API key resource name/);
        assert.equal(transport.sent.length, 0);
    });

    it("is what createRotator builds for a google-api-key config", () => {
        const config = { kind: "google-api-key" as const, project: "bots-dev" };
        const source = createRotator(config, depsWith(transport));
        assert.ok(source.mode === "automatic" && source.rotator instanceof GoogleApiKeyRotator);
    });
});

describe("API Keys key IDs derived from key names", () => {
    it("are valid API Keys IDs, and long names keep a hash so attempts never collide", () => {
        const pattern = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;
        const long = `keywarden-${"x".repeat(60)}`;
        const names = ["keywarden-bot-a1", "Keywarden_Bot.A1", "9-lives", long, `${long}-a`, "--"];
        for (const name of names) assert.match(apiKeyIdFor(name), pattern, name);
        assert.equal(apiKeyIdFor("keywarden-bot-a1"), "keywarden-bot-a1");
        assert.notEqual(apiKeyIdFor(`${long}-1`), apiKeyIdFor(`${long}-2`));
    });
});
