/**
 * Guarantees of the emulator's test controls: injected failures reach the official client as
 * the chosen gRPC status, latency delays answers, calls are counted per method, and inspection
 * bypasses all of it.
 */
import { strict as assert } from "assert";
import { status } from "@grpc/grpc-js";
import type { CallOptions } from "google-gax";
import { createSecretManagerClient } from "../../functions/rotator/secret-manager-client";
import { startSecretManagerEmulator } from "../../standins/secret-manager";
import {
    type EmulatorSession,
    expectRpcError,
    startEmulatorSession,
} from "../../standins/secret-manager/test-session";

/** Per-call options that turn the client's own retrying off, so one fault means one error. */
const NO_RETRY: CallOptions = { retry: null };

/** Per-call retry on UNAVAILABLE with a 10 ms backoff, instead of the configured 2 s. */
const FAST_RETRY: CallOptions = {
    retry: {
        retryCodes: [status.UNAVAILABLE],
        backoffSettings: {
            initialRetryDelayMillis: 10,
            retryDelayMultiplier: 1,
            maxRetryDelayMillis: 10,
            initialRpcTimeoutMillis: 5_000,
            rpcTimeoutMultiplier: 1,
            maxRpcTimeoutMillis: 5_000,
            totalTimeoutMillis: 5_000,
        },
    },
};

describe("Secret Manager emulator: faults, latency and call counters", () => {
    let session: EmulatorSession;
    let secretName: string;
    before(async () => {
        session = await startEmulatorSession();
    });
    beforeEach(async () => {
        session.reset();
        secretName = String((await session.createSecret("api-key")).name);
        await session.addVersion(secretName, "key");
        session.emulator.calls.reset();
    });
    after(() => session.close());

    const access = (options?: CallOptions) =>
        session.client.accessSecretVersion({ name: `${secretName}/versions/1` }, options);

    it("fails the next N calls of one method with the injected status, then recovers", async () => {
        session.emulator.faults.failNext("GetSecret", 2, status.UNAVAILABLE);
        const get = () => session.client.getSecret({ name: secretName }, NO_RETRY);
        await expectRpcError(get(), status.UNAVAILABLE, /injected UNAVAILABLE/);
        await expectRpcError(get(), status.UNAVAILABLE);
        await get();
        await access(); // other methods were never affected
        assert.equal(session.emulator.faults.pendingFailures(), 0);
    });

    it('fails any method with "*", in the order the rules were added', async () => {
        session.emulator.faults.failNext("*", 1, status.INTERNAL);
        session.emulator.faults.failNext("ListSecrets", 1, status.PERMISSION_DENIED, "no list");
        await expectRpcError(
            session.client.listSecrets({ parent: session.project }, NO_RETRY),
            status.INTERNAL,
        );
        await expectRpcError(
            session.client.listSecrets({ parent: session.project }, NO_RETRY),
            status.PERMISSION_DENIED,
            /^no list$/,
        );
        await session.client.listSecrets({ parent: session.project }, NO_RETRY);
    });

    it("shows UNAVAILABLE on AccessSecretVersion as code 14 when retries are off", async () => {
        session.emulator.faults.failNext("AccessSecretVersion", 1, status.UNAVAILABLE);
        const error = await expectRpcError(access(NO_RETRY), status.UNAVAILABLE);
        assert.equal(error.code, 14);
        assert.equal(session.emulator.calls.count("AccessSecretVersion"), 1);
    });

    it("lets the client's own retry absorb an UNAVAILABLE, counting both attempts", async () => {
        session.emulator.faults.failNext("AccessSecretVersion", 1, status.UNAVAILABLE);
        const [response] = await access(FAST_RETRY);
        assert.equal(Buffer.from(response.payload!.data!).toString(), "key");
        assert.equal(session.emulator.calls.count("AccessSecretVersion"), 2);
    });

    it("an injected failure changes nothing in the store", async () => {
        const before = session.emulator.inspect.secret(secretName);
        session.emulator.faults.failNext("UpdateSecret", 1, status.ABORTED);
        await expectRpcError(
            session.client.updateSecret(
                {
                    secret: { name: secretName, labels: { a: "b" } },
                    updateMask: { paths: ["labels"] },
                },
                NO_RETRY,
            ),
            status.ABORTED,
        );
        assert.deepEqual(session.emulator.inspect.secret(secretName), before);
    });

    it("delays the answers of a method by the configured latency", async () => {
        session.emulator.faults.setLatency("GetSecret", 150);
        let started = Date.now();
        await session.client.getSecret({ name: secretName });
        assert.ok(Date.now() - started >= 140, "GetSecret was delayed");
        started = Date.now();
        await access();
        assert.ok(Date.now() - started < 140, "other methods were not delayed");
        session.emulator.faults.setLatency("GetSecret", 0);
        started = Date.now();
        await session.client.getSecret({ name: secretName });
        assert.ok(Date.now() - started < 140, "latency 0 removes the delay");
    });

    it("keeps each delayed update atomic: one etag still gives exactly one winner", async () => {
        session.emulator.faults.setLatency("*", 30);
        const [secret] = await session.client.getSecret({ name: secretName });
        const update = (owner: string) =>
            session.client.updateSecret({
                secret: { name: secretName, annotations: { owner }, etag: secret.etag },
                updateMask: { paths: ["annotations"] },
            });
        const outcomes = await Promise.allSettled([update("a"), update("b"), update("c")]);
        assert.equal(outcomes.filter((o) => o.status === "fulfilled").length, 1);
    });

    it("counts calls per method, failed ones included, and resets the counts", async () => {
        session.emulator.faults.failNext("GetSecret", 1, status.NOT_FOUND);
        await expectRpcError(session.client.getSecret({ name: secretName }), status.NOT_FOUND);
        await session.client.getSecret({ name: secretName });
        await access();
        await expectRpcError(
            session.client.getSecret({ name: `${session.project}/secrets/missing` }),
            status.NOT_FOUND,
        );
        assert.deepEqual(session.emulator.calls.snapshot(), {
            GetSecret: 3,
            AccessSecretVersion: 1,
        });
        assert.equal(session.emulator.calls.total(), 4);
        session.emulator.calls.reset();
        assert.equal(session.emulator.calls.total(), 0);
    });

    it("inspects state without a call, and unaffected by faults", async () => {
        session.emulator.faults.failNext("*", 5, status.UNAVAILABLE);
        const snapshot = session.emulator.inspect.secret(secretName);
        assert.equal(snapshot?.versions[0].data?.toString(), "key");
        assert.deepEqual(session.emulator.inspect.secretNames(), [secretName]);
        assert.equal(session.emulator.calls.total(), 0);
        assert.equal(session.emulator.faults.pendingFailures(), 5);
    });

    it("answers UNIMPLEMENTED for IAM methods", async () => {
        await expectRpcError(
            session.client.getIamPolicy({ resource: secretName }, NO_RETRY),
            status.UNIMPLEMENTED,
        );
        assert.equal(session.emulator.calls.count("GetIamPolicy"), 1);
    });

    it("refuses an unknown method name or a bad count in the fault API", () => {
        const faults = session.emulator.faults;
        assert.throws(() => faults.failNext("GetSecrets" as "GetSecret", 1, 14), /unknown/);
        assert.throws(() => faults.failNext("GetSecret", 0, 14), /positive integer/);
        assert.throws(() => faults.setLatency("GetSecret", -1), /ms must be/);
    });

    it("answers calls still waiting out a latency with UNAVAILABLE when it stops", async () => {
        const emulator = await startSecretManagerEmulator();
        const client = createSecretManagerClient({
            SECRET_MANAGER_EMULATOR_HOST: emulator.address,
        });
        try {
            emulator.faults.setLatency("GetSecret", 60_000);
            const waiting = client.getSecret({ name: "projects/p/secrets/s" }, NO_RETRY);
            while (emulator.calls.count("GetSecret") === 0) {
                await new Promise((resolve) => setTimeout(resolve, 5));
            }
            const outcome = expectRpcError(waiting, status.UNAVAILABLE, /stopping/);
            const started = Date.now();
            await emulator.stop();
            await outcome;
            assert.ok(Date.now() - started < 2_000);
        } finally {
            await client.close();
            await emulator.stop();
        }
    });
});
