/**
 * Guarantees of the emulator's Secret resources (create, get, list, delete, validation), checked
 * through the official client.
 */
import { strict as assert } from "assert";
import { status } from "@grpc/grpc-js";
import {
    type EmulatorSession,
    expectRpcError,
    startEmulatorSession,
} from "../../standins/secret-manager/test-session";

describe("Secret Manager emulator: secrets", () => {
    let session: EmulatorSession;
    before(async () => {
        session = await startEmulatorSession();
    });
    beforeEach(() => session.reset());
    after(() => session.close());

    it("returns a created secret with its labels, annotations, etag and create time", async () => {
        const created = await session.createSecret("bot-weather-key", {
            labels: { "keywarden-managed": "true", bot: "weather" },
            annotations: { "keywarden.policy": '{"rotator":"sendgrid"}' },
            versionDestroyTtl: { seconds: 86400 },
        });
        assert.equal(created.name, "projects/keywarden-test/secrets/bot-weather-key");
        assert.match(String(created.etag), /^"[0-9a-f]+"$/);
        assert.ok(Number(created.createTime?.seconds) > 0);

        const [read] = await session.client.getSecret({ name: created.name });
        assert.deepEqual(read.labels, { "keywarden-managed": "true", bot: "weather" });
        assert.deepEqual(read.annotations, { "keywarden.policy": '{"rotator":"sendgrid"}' });
        assert.equal(Number(read.versionDestroyTtl?.seconds), 86400);
        assert.equal(read.etag, created.etag);
        assert.deepEqual(read.replication?.automatic, { customerManagedEncryption: null });
    });

    it("keeps the project exactly as given (number or ID)", async () => {
        const [byNumber] = await session.client.createSecret({
            parent: "projects/123456789",
            secretId: "k",
            secret: { replication: { automatic: {} } },
        });
        assert.equal(byNumber.name, "projects/123456789/secrets/k");
        await expectRpcError(
            session.client.getSecret({ name: "projects/keywarden-test/secrets/k" }),
            status.NOT_FOUND,
        );
    });

    it("rejects a taken secret ID with ALREADY_EXISTS", async () => {
        await session.createSecret("dup");
        await expectRpcError(session.createSecret("dup"), status.ALREADY_EXISTS, /dup/);
    });

    it("accepts IDs of 1-255 characters of [A-Za-z0-9_-] and rejects others", async () => {
        await session.createSecret("A");
        await session.createSecret("x".repeat(255));
        await session.createSecret("Bot_key-2");
        for (const bad of ["x".repeat(256), "has.dot", "has space", "slash/x", "é"]) {
            await expectRpcError(session.createSecret(bad), status.INVALID_ARGUMENT, /secret_id/);
        }
        assert.equal(session.emulator.inspect.secretNames().length, 3);
    });

    it("requires a replication policy for a global secret", async () => {
        await expectRpcError(
            session.client.createSecret({ parent: session.project, secretId: "r", secret: {} }),
            status.INVALID_ARGUMENT,
            /secret\.replication/,
        );
    });

    it("answers NOT_FOUND for a missing secret, INVALID_ARGUMENT for a bad name", async () => {
        await expectRpcError(
            session.client.getSecret({ name: `${session.project}/secrets/missing` }),
            status.NOT_FOUND,
        );
        await expectRpcError(
            session.client.getSecret({ name: "secrets/missing" }),
            status.INVALID_ARGUMENT,
            /^name:/,
        );
    });

    it("deletes a secret, refusing a stale etag with FAILED_PRECONDITION", async () => {
        const secret = await session.createSecret("to-delete");
        await expectRpcError(
            session.client.deleteSecret({ name: secret.name, etag: '"0"' }),
            status.FAILED_PRECONDITION,
            /etag/,
        );
        assert.ok(session.emulator.inspect.secret(String(secret.name)));
        await session.client.deleteSecret({ name: secret.name, etag: secret.etag });
        assert.equal(session.emulator.inspect.secret(String(secret.name)), undefined);
        await expectRpcError(session.client.deleteSecret({ name: secret.name }), status.NOT_FOUND);
    });

    describe("labels and annotations", () => {
        it("rejects uppercase label keys and values, naming the label", async () => {
            await expectRpcError(
                session.createSecret("l1", { labels: { Env: "prod" } }),
                status.INVALID_ARGUMENT,
                /secret\.labels\["Env"\]/,
            );
            await expectRpcError(
                session.createSecret("l2", { labels: { env: "Prod" } }),
                status.INVALID_ARGUMENT,
                /secret\.labels\["env"\]/,
            );
            await expectRpcError(
                session.createSecret("l3", { labels: { "1env": "x" } }),
                status.INVALID_ARGUMENT,
            );
        });

        it("allows 64 labels and rejects 65", async () => {
            const labels = (n: number) =>
                Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, "v"]));
            await session.createSecret("l64", { labels: labels(64) });
            await expectRpcError(
                session.createSecret("l65", { labels: labels(65) }),
                status.INVALID_ARGUMENT,
                /at most 64/,
            );
        });

        it("checks annotation keys: 1-63 chars, alphanumeric ends, -_. inside", async () => {
            await session.createSecret("a-ok", {
                annotations: { a: "", "k.eyw-a_rden9": "x", ["k".repeat(63)]: "x" },
            });
            for (const key of ["-a", "a-", ".a", "a b", "k".repeat(64), "a/b"]) {
                await expectRpcError(
                    session.createSecret("a-bad", { annotations: { [key]: "x" } }),
                    status.INVALID_ARGUMENT,
                    /secret\.annotations\[/,
                );
            }
        });

        it("takes annotations totalling 16383 bytes and rejects 16384 bytes", async () => {
            // One key of 3 bytes plus a value: the total counts the UTF-8 bytes of both.
            const withTotal = (total: number) => ({ key: "x".repeat(total - 3) });
            const secret = await session.createSecret("a-limit", {
                annotations: withTotal(16383),
            });
            const error = await expectRpcError(
                session.client.updateSecret({
                    secret: { name: secret.name, annotations: withTotal(16384) },
                    updateMask: { paths: ["annotations"] },
                }),
                status.INVALID_ARGUMENT,
                /secret\.annotations: .*16384 bytes.*less than 16384/,
            );
            assert.ok(!error.details.includes("xxxx"), "the message must not echo values");
            const stored = session.emulator.inspect.secret(String(secret.name));
            const kept = stored?.annotations.key.length;
            assert.equal(kept, 16380, "a rejected update changes nothing");
        });

        it("counts multi-byte characters by their UTF-8 size", async () => {
            // "é" is 2 bytes: 1 + 8191 * 2 = 16383 bytes passes, one more character does not.
            await session.createSecret("utf8-ok", { annotations: { k: "é".repeat(8191) } });
            await expectRpcError(
                session.createSecret("utf8-big", { annotations: { k: "é".repeat(8192) } }),
                status.INVALID_ARGUMENT,
            );
        });
    });
});
