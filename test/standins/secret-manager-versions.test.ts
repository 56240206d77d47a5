/**
 * Guarantees of the emulator's secret versions: payload limits and checksums, numbering,
 * `latest`, the ENABLED/DISABLED/DESTROYED state machine with its etags, and delayed
 * destruction.
 */
import { strict as assert } from "assert";
import { status } from "@grpc/grpc-js";
import { crc32c } from "../../standins/secret-manager/crc32c";
import {
    type EmulatorSession,
    expectRpcError,
    startEmulatorSession,
} from "../../standins/secret-manager/test-session";

describe("Secret Manager emulator: versions", () => {
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

    const access = (version: string | number) =>
        session.client.accessSecretVersion({ name: `${secretName}/versions/${version}` });
    const versionPath = (n: number) => `${secretName}/versions/${n}`;

    describe("adding and accessing", () => {
        it("numbers versions 1, 2, 3 and returns data with its CRC32C", async () => {
            assert.equal(await session.addVersion(secretName, "key-one"), 1);
            assert.equal(await session.addVersion(secretName, "key-two"), 2);
            assert.equal(await session.addVersion(secretName, "key-three"), 3);
            const [response] = await access(2);
            assert.equal(response.name, versionPath(2));
            assert.equal(Buffer.from(response.payload!.data!).toString(), "key-two");
            assert.equal(Number(response.payload!.dataCrc32c), crc32c("key-two"));
        });

        it("resolves latest to the newest version and names the resolved version", async () => {
            await session.addVersion(secretName, "old");
            await session.addVersion(secretName, "new");
            const [response] = await access("latest");
            assert.equal(response.name, versionPath(2));
            assert.equal(Buffer.from(response.payload!.data!).toString(), "new");
        });

        it("does not skip a disabled newest version for latest: access fails", async () => {
            // The proto defines latest as the most recently created version, whatever its state.
            await session.addVersion(secretName, "old");
            await session.addVersion(secretName, "new");
            await session.client.disableSecretVersion({ name: versionPath(2) });
            await expectRpcError(access("latest"), status.FAILED_PRECONDITION, /DISABLED/);
            const [metadata] = await session.client.getSecretVersion({
                name: `${secretName}/versions/latest`,
            });
            assert.equal(metadata.name, versionPath(2));
            assert.equal(metadata.state, "DISABLED");
        });

        it("takes a payload of exactly 64 KiB and rejects one byte more", async () => {
            await session.addVersion(secretName, Buffer.alloc(65536, 7));
            await expectRpcError(
                session.addVersion(secretName, Buffer.alloc(65537, 7)),
                status.INVALID_ARGUMENT,
                /payload\.data: is 65537 bytes/,
            );
            assert.equal(session.emulator.inspect.secret(secretName)?.versions.length, 1);
        });

        it("checks a given data_crc32c and records that the client sent one", async () => {
            const data = Buffer.from("sk-test-key");
            const [version] = await session.client.addSecretVersion({
                parent: secretName,
                payload: { data, dataCrc32c: crc32c(data) },
            });
            assert.equal(version.clientSpecifiedPayloadChecksum, true);
            await expectRpcError(
                session.client.addSecretVersion({
                    parent: secretName,
                    payload: { data, dataCrc32c: (crc32c(data) + 1) % 2 ** 32 },
                }),
                status.INVALID_ARGUMENT,
                /payload\.data_crc32c/,
            );
            const [unchecked] = await session.client.addSecretVersion({
                parent: secretName,
                payload: { data },
            });
            assert.equal(unchecked.clientSpecifiedPayloadChecksum, false);
            assert.equal(session.emulator.inspect.secret(secretName)?.versions.length, 2);
        });

        it("answers NOT_FOUND for a missing secret or version, or no version at all", async () => {
            await expectRpcError(
                session.client.addSecretVersion({
                    parent: `${session.project}/secrets/missing`,
                    payload: { data: Buffer.from("x") },
                }),
                status.NOT_FOUND,
            );
            await expectRpcError(access("latest"), status.NOT_FOUND);
            await session.addVersion(secretName, "x");
            await expectRpcError(access(9), status.NOT_FOUND);
            await expectRpcError(access("no-such-alias"), status.NOT_FOUND);
        });
    });

    describe("state transitions", () => {
        it("disables and enables a version, changing its etag each time", async () => {
            await session.addVersion(secretName, "key");
            const [disabled] = await session.client.disableSecretVersion({ name: versionPath(1) });
            assert.equal(disabled.state, "DISABLED");
            const [again] = await session.client.disableSecretVersion({ name: versionPath(1) });
            assert.equal(again.etag, disabled.etag, "no change of state, no new etag");
            await expectRpcError(access(1), status.FAILED_PRECONDITION, /DISABLED state/);
            const [enabled] = await session.client.enableSecretVersion({
                name: versionPath(1),
                etag: disabled.etag,
            });
            assert.equal(enabled.state, "ENABLED");
            assert.notEqual(enabled.etag, disabled.etag);
            const [response] = await access(1);
            assert.equal(Buffer.from(response.payload!.data!).toString(), "key");
        });

        it("refuses a state change with a stale version etag", async () => {
            await session.addVersion(secretName, "key");
            const [before] = await session.client.getSecretVersion({ name: versionPath(1) });
            await session.client.disableSecretVersion({ name: versionPath(1) });
            for (const call of [
                session.client.enableSecretVersion({ name: versionPath(1), etag: before.etag }),
                session.client.destroySecretVersion({ name: versionPath(1), etag: before.etag }),
            ]) {
                await expectRpcError(call, status.FAILED_PRECONDITION, /etag/);
            }
            assert.equal(session.emulator.inspect.version(secretName, 1)?.state, "DISABLED");
        });

        it("destroys a version for good: payload gone, no way back", async () => {
            await session.addVersion(secretName, "key");
            const [destroyed] = await session.client.destroySecretVersion({ name: versionPath(1) });
            assert.equal(destroyed.state, "DESTROYED");
            assert.ok(destroyed.destroyTime);
            assert.equal(session.emulator.inspect.version(secretName, 1)?.data, undefined);
            await expectRpcError(access(1), status.FAILED_PRECONDITION, /DESTROYED state/);
            for (const call of [
                session.client.enableSecretVersion({ name: versionPath(1) }),
                session.client.disableSecretVersion({ name: versionPath(1) }),
                session.client.destroySecretVersion({ name: versionPath(1) }),
            ]) {
                await expectRpcError(call, status.FAILED_PRECONDITION, /DESTROYED/);
            }
            // Numbers are never reused.
            assert.equal(await session.addVersion(secretName, "next"), 2);
        });
    });

    describe("delayed destruction (version_destroy_ttl)", () => {
        const oneDay = 86_400_000;

        beforeEach(async () => {
            const [secret] = await session.client.getSecret({ name: secretName });
            await session.client.updateSecret({
                secret: {
                    name: secretName,
                    versionDestroyTtl: { seconds: 86400 },
                    etag: secret.etag,
                },
                updateMask: { paths: ["version_destroy_ttl"] },
            });
            await session.addVersion(secretName, "retiring-key");
        });

        it("disables the version and schedules its destruction one TTL later", async () => {
            const [scheduled] = await session.client.destroySecretVersion({ name: versionPath(1) });
            assert.equal(scheduled.state, "DISABLED");
            const due = Number(scheduled.scheduledDestroyTime?.seconds) * 1000;
            assert.ok(Math.abs(due - (session.emulator.clock.now() + oneDay)) < 5_000);
            await expectRpcError(access(1), status.FAILED_PRECONDITION, /DISABLED/);
            assert.ok(session.emulator.inspect.version(secretName, 1)?.data, "payload kept");
            await expectRpcError(
                session.client.destroySecretVersion({ name: versionPath(1) }),
                status.FAILED_PRECONDITION,
                /already scheduled/,
            );
        });

        it("destroys the version once the TTL has passed", async () => {
            await session.client.destroySecretVersion({ name: versionPath(1) });
            session.emulator.clock.advance(oneDay - 1_000);
            const [waiting] = await session.client.getSecretVersion({ name: versionPath(1) });
            assert.equal(waiting.state, "DISABLED");
            session.emulator.clock.advance(2_000);
            const [gone] = await session.client.getSecretVersion({ name: versionPath(1) });
            assert.equal(gone.state, "DESTROYED");
            assert.ok(gone.destroyTime);
            assert.equal(gone.scheduledDestroyTime, null);
            assert.equal(session.emulator.inspect.version(secretName, 1)?.data, undefined);
        });

        it("cancels the destruction when the version is enabled before the TTL ends", async () => {
            await session.client.destroySecretVersion({ name: versionPath(1) });
            const [restored] = await session.client.enableSecretVersion({ name: versionPath(1) });
            assert.equal(restored.state, "ENABLED");
            assert.equal(restored.scheduledDestroyTime, null);
            session.emulator.clock.advance(2 * oneDay);
            const [response] = await access(1);
            assert.equal(Buffer.from(response.payload!.data!).toString(), "retiring-key");
        });
    });
});
