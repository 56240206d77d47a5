/**
 * `npm run emulator`: runs the Secret Manager emulator alone, for local runs of the rotator.
 *
 * Listens on 127.0.0.1:$SECRET_MANAGER_EMULATOR_PORT (default 8085), prints one line with the
 * address and the variable to export, and stops cleanly on Ctrl-C (SIGINT) or SIGTERM.
 */
import { startSecretManagerEmulator } from "./emulator";

const DEFAULT_PORT = 8085;

function portFromEnvironment(env: NodeJS.ProcessEnv): number {
    const raw = env.SECRET_MANAGER_EMULATOR_PORT?.trim();
    if (!raw) return DEFAULT_PORT;
    const port = Number(raw);
    if (!/^[0-9]+$/.test(raw) || port < 1 || port > 65535) {
        throw new Error(
            `SECRET_MANAGER_EMULATOR_PORT must be a port number from 1 to 65535, got ` +
                `${JSON.stringify(raw)}; unset it to use ${DEFAULT_PORT}.`,
        );
    }
    return port;
}

async function main(): Promise<void> {
    const emulator = await startSecretManagerEmulator({ port: portFromEnvironment(process.env) });
    process.stdout.write(
        `Secret Manager emulator listening on ${emulator.address}; in another shell run: ` +
            `export SECRET_MANAGER_EMULATOR_HOST=${emulator.address}\n`,
    );
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
        if (stopping) return;
        stopping = true;
        emulator.stop().then(
            () => process.stderr.write(`Secret Manager emulator stopped (${signal}).\n`),
            (error: Error) => {
                process.stderr.write(`Secret Manager emulator stop failed: ${error.message}\n`);
                process.exitCode = 1;
            },
        );
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
}

main().catch((error: Error) => {
    process.stderr.write(`Secret Manager emulator could not start: ${error.message}\n`);
    process.exit(1);
});
