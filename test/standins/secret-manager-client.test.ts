/**
 * Guarantees of `createSecretManagerClient`, the rotator's way to get a Secret Manager client:
 * with SECRET_MANAGER_EMULATOR_HOST it talks to that address only, never to Google's metadata
 * server; without it, it is the default client; and importing the module loads no client code.
 */
import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as http from "http";
import type { AddressInfo } from "net";
import * as path from "path";
import { promisify } from "util";
import {
    createSecretManagerClient,
    parseEmulatorHost,
} from "../../functions/rotator/secret-manager-client";
import { startSecretManagerEmulator } from "../../standins/secret-manager";

const repositoryRoot = path.resolve(__dirname, "../..");

describe("createSecretManagerClient", () => {
    it("talks to the emulator and never to the metadata server", async () => {
        // A loopback stand-in for the metadata server, counting every request it gets.
        const metadataRequests: string[] = [];
        const metadata = http.createServer((request, response) => {
            metadataRequests.push(String(request.url));
            response.writeHead(404).end();
        });
        await new Promise<void>((resolve) => metadata.listen(0, "127.0.0.1", resolve));
        const saved = process.env.GCE_METADATA_HOST;
        process.env.GCE_METADATA_HOST = `127.0.0.1:${(metadata.address() as AddressInfo).port}`;
        const emulator = await startSecretManagerEmulator();
        const client = createSecretManagerClient({
            SECRET_MANAGER_EMULATOR_HOST: emulator.address,
        });
        try {
            const [secret] = await client.createSecret({
                parent: "projects/p",
                secretId: "s",
                secret: { replication: { automatic: {} } },
            });
            assert.equal(secret.name, "projects/p/secrets/s");
            assert.equal(emulator.calls.count("CreateSecret"), 1);
            assert.deepEqual(metadataRequests, []);
        } finally {
            await client.close();
            await emulator.stop();
            metadata.close();
            if (saved === undefined) delete process.env.GCE_METADATA_HOST;
            else process.env.GCE_METADATA_HOST = saved;
        }
    });

    it("builds the default client for Google when the variable is unset or empty", async () => {
        for (const env of [{}, { SECRET_MANAGER_EMULATOR_HOST: " " }]) {
            const client = createSecretManagerClient(env);
            assert.equal(client.apiEndpoint, "secretmanager.googleapis.com");
            await client.close();
        }
    });

    it("parses host:port and [ipv6]:port", () => {
        assert.deepEqual(parseEmulatorHost("127.0.0.1:8085"), { host: "127.0.0.1", port: 8085 });
        assert.deepEqual(parseEmulatorHost(" localhost:1 "), { host: "localhost", port: 1 });
        assert.deepEqual(parseEmulatorHost("[::1]:8085"), { host: "::1", port: 8085 });
    });

    it("rejects a malformed value with an error naming the variable and the form", () => {
        for (const value of ["127.0.0.1", "127.0.0.1:", "127.0.0.1:70000", "http://h:1", "h:0"]) {
            assert.throws(
                () => createSecretManagerClient({ SECRET_MANAGER_EMULATOR_HOST: value }),
                /SECRET_MANAGER_EMULATOR_HOST must be host:port, e\.g\. 127\.0\.0\.1:8085/,
            );
        }
    });

    it("loads the client library only when a client is created", async () => {
        const probe =
            "require('./functions/rotator/secret-manager-client');" +
            "const loaded = Object.keys(require.cache)" +
            ".some((file) => file.includes('@google-cloud/secret-manager'));" +
            "process.stdout.write(String(loaded));";
        const { stdout } = await promisify(execFile)(
            process.execPath,
            ["--require", "tsx/cjs", "-e", probe],
            { cwd: repositoryRoot, timeout: 20_000 },
        );
        assert.equal(stdout, "false");
    });
});
