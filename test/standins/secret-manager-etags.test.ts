/**
 * Guarantees of UpdateSecret's etag compare-and-set, which keywarden uses as its rotation lock:
 * a stale etag never wins, every update moves the etag, and of two concurrent updates holding
 * the same etag exactly one succeeds.
 */
import { strict as assert } from "assert";
import { status } from "@grpc/grpc-js";
import {
    type EmulatorSession,
    expectRpcError,
    startEmulatorSession,
} from "../../standins/secret-manager/test-session";

describe("Secret Manager emulator: etags and UpdateSecret", () => {
    let session: EmulatorSession;
    before(async () => {
        session = await startEmulatorSession();
    });
    beforeEach(() => session.reset());
    after(() => session.close());

    function setAnnotations(name: string, annotations: Record<string, string>, etag?: string) {
        return session.client.updateSecret({
            secret: { name, annotations, etag },
            updateMask: { paths: ["annotations"] },
        });
    }

    it("applies an update carrying the current etag and hands out a new etag", async () => {
        const secret = await session.createSecret("state");
        const [updated] = await setAnnotations(String(secret.name), { lock: "a1" }, secret.etag!);
        assert.deepEqual(updated.annotations, { lock: "a1" });
        assert.notEqual(updated.etag, secret.etag);
        assert.match(String(updated.etag), /^"[0-9a-f]+"$/);
    });

    it("refuses a stale etag with FAILED_PRECONDITION and changes nothing", async () => {
        const secret = await session.createSecret("state", { annotations: { lock: "none" } });
        await setAnnotations(String(secret.name), { lock: "first" }, secret.etag!);
        await expectRpcError(
            setAnnotations(String(secret.name), { lock: "second" }, secret.etag!),
            status.FAILED_PRECONDITION,
            /etag/,
        );
        assert.deepEqual(session.emulator.inspect.secret(String(secret.name))?.annotations, {
            lock: "first",
        });
    });

    it("changes the etag on every successful update, even one that changes no value", async () => {
        const secret = await session.createSecret("state");
        const etags = new Set([secret.etag]);
        for (let i = 0; i < 5; i++) {
            const [updated] = await setAnnotations(String(secret.name), {});
            etags.add(updated.etag);
        }
        assert.equal(etags.size, 6);
    });

    it("lets exactly one of two concurrent updates with the same etag win", async () => {
        const secret = await session.createSecret("state");
        const outcomes = await Promise.allSettled([
            setAnnotations(String(secret.name), { owner: "tick-a" }, secret.etag!),
            setAnnotations(String(secret.name), { owner: "tick-b" }, secret.etag!),
        ]);
        const won = outcomes.filter((o) => o.status === "fulfilled");
        const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
        assert.equal(won.length, 1);
        assert.equal(lost.length, 1);
        assert.equal(lost[0].reason.code, status.FAILED_PRECONDITION);
        const winner = outcomes.indexOf(won[0]) === 0 ? "tick-a" : "tick-b";
        assert.deepEqual(session.emulator.inspect.secret(String(secret.name))?.annotations, {
            owner: winner,
        });
    });

    it("updates unconditionally without an etag, and only the masked fields", async () => {
        const secret = await session.createSecret("s", {
            labels: { keep: "yes" },
            annotations: { old: "1" },
        });
        const [updated] = await session.client.updateSecret({
            secret: { name: secret.name, labels: { ignored: "x" }, annotations: { fresh: "2" } },
            updateMask: { paths: ["annotations"] },
        });
        assert.deepEqual(updated.labels, { keep: "yes" });
        assert.deepEqual(updated.annotations, { fresh: "2" });
    });

    it("updates labels, version_destroy_ttl and (in camelCase too) version aliases", async () => {
        const secret = await session.createSecret("s");
        await session.addVersion(String(secret.name), "k1");
        const [updated] = await session.client.updateSecret({
            secret: {
                name: secret.name,
                labels: { managed: "true" },
                versionDestroyTtl: { seconds: 3600 },
                versionAliases: { current: 1 },
            },
            updateMask: { paths: ["labels", "version_destroy_ttl", "versionAliases"] },
        });
        assert.deepEqual(updated.labels, { managed: "true" });
        assert.equal(Number(updated.versionDestroyTtl?.seconds), 3600);
        assert.equal(Number(updated.versionAliases?.current), 1);
    });

    it("requires an update mask and refuses immutable or unknown fields", async () => {
        const secret = await session.createSecret("s");
        const update = (paths: string[]) =>
            session.client.updateSecret({ secret: { name: secret.name }, updateMask: { paths } });
        await expectRpcError(update([]), status.INVALID_ARGUMENT, /update_mask/);
        await expectRpcError(update(["replication"]), status.INVALID_ARGUMENT, /cannot be updated/);
        await expectRpcError(update(["colour"]), status.INVALID_ARGUMENT, /unknown field "colour"/);
        await expectRpcError(
            session.client.updateSecret({
                secret: { name: `${session.project}/secrets/missing` },
                updateMask: { paths: ["labels"] },
            }),
            status.NOT_FOUND,
        );
        assert.equal(session.emulator.inspect.secret(String(secret.name))?.etag, secret.etag);
    });

    it("rejects a whole update when one masked field is invalid", async () => {
        const secret = await session.createSecret("s", { labels: { a: "b" } });
        await expectRpcError(
            session.client.updateSecret({
                secret: { name: secret.name, labels: { c: "d" }, annotations: { "-bad": "x" } },
                updateMask: { paths: ["labels", "annotations"] },
            }),
            status.INVALID_ARGUMENT,
        );
        const stored = session.emulator.inspect.secret(String(secret.name));
        assert.deepEqual(stored?.labels, { a: "b" });
        assert.equal(stored?.etag, secret.etag);
    });

    it("deletes a secret once its ttl has passed on the emulator's clock", async () => {
        const secret = await session.createSecret("short-lived", { ttl: { seconds: 60 } });
        assert.ok(secret.expireTime, "expire_time is always returned");
        session.emulator.clock.advance(59_000);
        await session.client.getSecret({ name: secret.name });
        session.emulator.clock.advance(1_000);
        await expectRpcError(session.client.getSecret({ name: secret.name }), status.NOT_FOUND);
        await expectRpcError(
            session.createSecret("already-expired", { expireTime: { seconds: 1 } }),
            status.INVALID_ARGUMENT,
            /secret\.expire_time/,
        );
    });
});
