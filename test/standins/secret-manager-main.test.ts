/**
 * Guarantees of `npm run emulator` (standins/secret-manager/main.ts): it listens on the port from
 * SECRET_MANAGER_EMULATOR_PORT, says which variable to export, serves the official client, and
 * exits cleanly on SIGTERM; a bad port is refused with a message naming the variable.
 */
import { strict as assert } from "assert";
import { type ChildProcess, spawn } from "child_process";
import * as net from "net";
import * as path from "path";
import { createSecretManagerClient } from "../../functions/rotator/secret-manager-client";

const repositoryRoot = path.resolve(__dirname, "../..");

function runEmulator(port: string): ChildProcess {
    return spawn(process.execPath, ["--require", "tsx/cjs", "standins/secret-manager/main.ts"], {
        cwd: repositoryRoot,
        env: { ...process.env, SECRET_MANAGER_EMULATOR_PORT: port },
        stdio: ["ignore", "pipe", "pipe"],
    });
}

function exitOf(child: ChildProcess): Promise<number | null> {
    return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

async function freePort(): Promise<number> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    return port;
}

describe("npm run emulator", () => {
    it("serves on the given port, prints the variable to export, stops on SIGTERM", async () => {
        const port = await freePort();
        const child = runEmulator(String(port));
        const exited = exitOf(child);
        const firstLine = await new Promise<string>((resolve, reject) => {
            let output = "";
            child.stdout?.on("data", (chunk: Buffer) => {
                output += chunk.toString();
                if (output.includes("\n")) resolve(output.split("\n")[0]);
            });
            child.once("exit", (code) => reject(new Error(`emulator exited early (${code})`)));
        });
        assert.match(firstLine, new RegExp(`127\\.0\\.0\\.1:${port}`));
        assert.match(firstLine, new RegExp(`SECRET_MANAGER_EMULATOR_HOST=127\\.0\\.0\\.1:${port}`));

        const client = createSecretManagerClient({
            SECRET_MANAGER_EMULATOR_HOST: `127.0.0.1:${port}`,
        });
        try {
            const [secret] = await client.createSecret({
                parent: "projects/p",
                secretId: "from-cli",
                secret: { replication: { automatic: {} } },
            });
            assert.equal(secret.name, "projects/p/secrets/from-cli");
        } finally {
            await client.close();
        }
        child.kill("SIGTERM");
        assert.equal(await exited, 0);
    });

    it("refuses a port that is not a number, naming the variable", async () => {
        const child = runEmulator("eighty");
        let errors = "";
        child.stderr?.on("data", (chunk: Buffer) => (errors += chunk.toString()));
        assert.equal(await exitOf(child), 1);
        assert.match(errors, /SECRET_MANAGER_EMULATOR_PORT must be a port number/);
    });
});
