/**
 * Runs the rotator function as its own process, configured by the environment exactly like the
 * deployed one (KEYWARDEN_PROJECT, KEYWARDEN_FLEET, ... and SECRET_MANAGER_EMULATOR_HOST), on
 * 127.0.0.1:$PORT. The crash tests kill this process at protocol step boundaries; the local
 * sandbox runs it too.
 */
import { keywarden } from "../../functions/rotator";
import { serveFunction } from "./serve";

async function main() {
    const served = await serveFunction(keywarden, Number(process.env.PORT ?? 8080));
    process.stdout.write(
        JSON.stringify({ severity: "INFO", event: "function.listening", url: served.url }) + "\n",
    );
    const stop = () => void served.stop().then(() => process.exit(0));
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
}

void main();
