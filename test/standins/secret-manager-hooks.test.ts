/**
 * Guarantees of the emulator's after-apply hooks: a listener runs once a call has changed the
 * store and before the client has its answer, can hold the answer back, sees only applied calls,
 * and goes away when removed or on reset.
 */
import { strict as assert } from "assert";
import { status } from "@grpc/grpc-js";
import type { CallOptions } from "google-gax";
import type { AppliedCall } from "../../standins/secret-manager";
import {
    type EmulatorSession,
    expectRpcError,
    startEmulatorSession,
} from "../../standins/secret-manager/test-session";

/** One fault, one error: the client's own retrying off. */
const NO_RETRY: CallOptions = { retry: null };

describe("Secret Manager emulator: after-apply hooks", () => {
    let session: EmulatorSession;
    let secretName: string;
    before(async () => {
        session = await startEmulatorSession();
    });
    beforeEach(async () => {
        session.reset();
        secretName = String((await session.createSecret("api-key")).name);
    });
    after(() => session.close());

    const annotate = (etag: string | undefined, value: string) =>
        session.client.updateSecret(
            {
                secret: { name: secretName, etag, annotations: { note: value } },
                updateMask: { paths: ["annotations"] },
            },
            NO_RETRY,
        );

    it("runs after the change is stored and before the client has the answer", async () => {
        let answered = false;
        const seen: Array<{ stored: string | undefined; answered: boolean }> = [];
        session.emulator.hooks.afterApply("UpdateSecret", () => {
            const stored = session.emulator.inspect.secret(secretName)?.annotations.note;
            seen.push({ stored, answered });
        });
        const [updated] = await annotate(undefined, "first");
        answered = true;
        assert.deepEqual(seen, [{ stored: "first", answered: false }]);
        assert.equal(updated.annotations?.note, "first");
    });

    it("holds the answer until the promise a listener returns settles", async () => {
        let release!: () => void;
        const held = new Promise<void>((resolve) => (release = resolve));
        session.emulator.hooks.afterApply("AddSecretVersion", () => held);
        let answered = false;
        const adding = session.addVersion(secretName, "key-1").then((n) => {
            answered = true;
            return n;
        });
        await waitUntil(() => session.emulator.inspect.secret(secretName)!.versions.length === 1);
        await new Promise((resolve) => setTimeout(resolve, 50));
        assert.equal(answered, false, "the version exists, but its caller has no answer yet");
        release();
        assert.equal(await adding, 1);
    });

    it('numbers the applied calls per method, and "*" sees reads as well as writes', async () => {
        const calls: AppliedCall[] = [];
        session.emulator.hooks.afterApply("*", (call) => {
            calls.push(call);
        });
        await session.addVersion(secretName, "key-1");
        await session.addVersion(secretName, "key-2");
        await session.client.getSecret({ name: secretName });
        assert.deepEqual(
            calls.map((c) => [c.method, c.ordinal]),
            [
                ["AddSecretVersion", 1],
                ["AddSecretVersion", 2],
                ["GetSecret", 1],
            ],
        );
        assert.equal(calls[1].request.parent, secretName, "the listener sees the decoded request");
        assert.equal(
            calls[1].response.name,
            `${secretName}/versions/2`,
            "and the response to send",
        );
    });

    it("never sees a call that changed nothing (a refused etag, an injected failure)", async () => {
        const methods: string[] = [];
        session.emulator.hooks.afterApply("UpdateSecret", (call) => {
            methods.push(`${call.method} ${call.ordinal}`);
        });
        await expectRpcError(annotate('"stale"', "refused"), status.FAILED_PRECONDITION);
        session.emulator.faults.failNext("UpdateSecret", 1, status.UNAVAILABLE);
        await expectRpcError(annotate(undefined, "injected"), status.UNAVAILABLE);
        await annotate(undefined, "applied");
        assert.deepEqual(methods, ["UpdateSecret 1"]);
    });

    it("answers INTERNAL when a listener throws, and the change stays applied", async () => {
        session.emulator.hooks.afterApply("UpdateSecret", () => {
            throw new Error("listener broke");
        });
        session.emulator.hooks.afterApply("AddSecretVersion", async () => {
            throw new Error("async listener broke");
        });
        await expectRpcError(annotate(undefined, "kept"), status.INTERNAL, /listener broke/);
        const adding = session.client.addSecretVersion(
            { parent: secretName, payload: { data: Buffer.from("key-1") } },
            NO_RETRY,
        );
        await expectRpcError(adding, status.INTERNAL, /async listener broke/);
        const stored = session.emulator.inspect.secret(secretName)!;
        assert.equal(stored.annotations.note, "kept");
        assert.equal(stored.versions.length, 1);
    });

    it("stops calling a listener once it is removed, and reset removes them all", async () => {
        let removedCalls = 0;
        let keptCalls = 0;
        const remove = session.emulator.hooks.afterApply("UpdateSecret", () => void removedCalls++);
        session.emulator.hooks.afterApply("UpdateSecret", () => void keptCalls++);
        await annotate(undefined, "one");
        remove();
        await annotate(undefined, "two");
        assert.deepEqual([removedCalls, keptCalls], [1, 2]);

        session.reset();
        secretName = String((await session.createSecret("api-key")).name);
        await annotate(undefined, "three");
        assert.equal(keptCalls, 2);
    });

    it("refuses an unknown method name and lists the valid ones", () => {
        const misspelt = "UpdateSecrets" as never;
        assert.throws(
            () => session.emulator.hooks.afterApply(misspelt, () => undefined),
            /unknown Secret Manager method "UpdateSecrets"; use "\*" or one of ListSecrets, /,
        );
    });
});

async function waitUntil(condition: () => boolean, timeoutMs = 2000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
        if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 5));
    }
}
