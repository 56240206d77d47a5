/**
 * Guarantees of version aliases (`current`, `previous`): set through UpdateSecret, resolved by
 * GetSecretVersion and AccessSecretVersion, validated, and never left pointing at a destroyed
 * version.
 */
import { strict as assert } from "assert";
import { status } from "@grpc/grpc-js";
import {
    type EmulatorSession,
    expectRpcError,
    startEmulatorSession,
} from "../../standins/secret-manager/test-session";

describe("Secret Manager emulator: version aliases", () => {
    let session: EmulatorSession;
    let secretName: string;
    before(async () => {
        session = await startEmulatorSession();
    });
    beforeEach(async () => {
        session.reset();
        secretName = String((await session.createSecret("api-key")).name);
        await session.addVersion(secretName, "first-key");
        await session.addVersion(secretName, "second-key");
    });
    after(() => session.close());

    const setAliases = (versionAliases: Record<string, number>) =>
        session.client.updateSecret({
            secret: { name: secretName, versionAliases },
            updateMask: { paths: ["version_aliases"] },
        });

    it("resolves an alias in AccessSecretVersion and GetSecretVersion", async () => {
        const [secret] = await setAliases({ current: 2, previous: 1 });
        // int64 map values arrive as strings or Longs depending on the client's decoding.
        const aliases = Object.entries(secret.versionAliases ?? {});
        assert.deepEqual(
            Object.fromEntries(aliases.map(([alias, number]) => [alias, Number(number)])),
            { current: 2, previous: 1 },
        );
        const [current] = await session.client.accessSecretVersion({
            name: `${secretName}/versions/current`,
        });
        assert.equal(current.name, `${secretName}/versions/2`);
        assert.equal(Buffer.from(current.payload!.data!).toString(), "second-key");
        const [previous] = await session.client.getSecretVersion({
            name: `${secretName}/versions/previous`,
        });
        assert.equal(previous.name, `${secretName}/versions/1`);
    });

    it("fails access through an alias whose version is disabled", async () => {
        await setAliases({ previous: 1 });
        await session.client.disableSecretVersion({ name: `${secretName}/versions/1` });
        await expectRpcError(
            session.client.accessSecretVersion({ name: `${secretName}/versions/previous` }),
            status.FAILED_PRECONDITION,
        );
    });

    it("rejects invalid alias names, naming the alias", async () => {
        for (const alias of ["latest", "NEW", "1st", "-x", "has.dot", "a".repeat(64)]) {
            await expectRpcError(
                setAliases({ [alias]: 1 }),
                status.INVALID_ARGUMENT,
                /secret\.version_aliases\[/,
            );
        }
        await setAliases({ ["A".repeat(63)]: 1, "Mixed_Case-9": 2 });
    });

    it("rejects aliases to missing, destroyed or destroy-scheduled versions", async () => {
        await expectRpcError(setAliases({ current: 3 }), status.INVALID_ARGUMENT, /does not exist/);
        await session.client.destroySecretVersion({ name: `${secretName}/versions/1` });
        await expectRpcError(setAliases({ previous: 1 }), status.INVALID_ARGUMENT, /destroyed/);
        await session.client.updateSecret({
            secret: { name: secretName, versionDestroyTtl: { seconds: 3600 } },
            updateMask: { paths: ["version_destroy_ttl"] },
        });
        await session.client.destroySecretVersion({ name: `${secretName}/versions/2` });
        await expectRpcError(
            setAliases({ current: 2 }),
            status.INVALID_ARGUMENT,
            /scheduled for destruction/,
        );
        assert.deepEqual(session.emulator.inspect.secret(secretName)?.versionAliases, {});
    });

    it("allows 50 aliases and rejects 51", async () => {
        const aliases = (n: number) =>
            Object.fromEntries(Array.from({ length: n }, (_, i) => [`alias${i}`, 1]));
        await setAliases(aliases(50));
        await expectRpcError(setAliases(aliases(51)), status.INVALID_ARGUMENT, /at most 50/);
    });

    it("refuses to destroy a version an alias points at, until the alias moves", async () => {
        await setAliases({ current: 2, previous: 1 });
        await expectRpcError(
            session.client.destroySecretVersion({ name: `${secretName}/versions/1` }),
            status.FAILED_PRECONDITION,
            /alias\(es\) previous/,
        );
        assert.equal(session.emulator.inspect.version(secretName, 1)?.state, "ENABLED");
        await setAliases({ current: 2 });
        const [destroyed] = await session.client.destroySecretVersion({
            name: `${secretName}/versions/1`,
        });
        assert.equal(destroyed.state, "DESTROYED");
    });

    it("rejects aliases given at creation, when no version exists yet", async () => {
        await expectRpcError(
            session.createSecret("fresh", { versionAliases: { current: 1 } }),
            status.INVALID_ARGUMENT,
            /does not exist/,
        );
    });
});
