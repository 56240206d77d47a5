/**
 * `npm run bench:rotation`: the rotation function's figures, measured on this machine against the
 * loopback stand-ins, printed as a table and ending with one JSON line.
 *
 * - cold import of the deployable bundle vs the same sources unbundled (fresh processes, median);
 * - the deploy archive's size (the bundle folder, raw and deflated as a zip would store it);
 * - /rotate time, median and p95, through the bundled function in its own process;
 * - an idle /tick over 1,000 managed secrets: time and Secret Manager calls;
 * - the function process's peak RSS over all of the above.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { deflateRawSync } from "node:zlib";
import { FUNCTION_NODE_OPTIONS } from "../functions/rotator/node-options";
import { createSecretManagerClient } from "../functions/rotator/secret-manager-client";
import { seedSecret } from "../standins/fleet/seed";
import { startFakeSendGrid } from "../standins/providers";
import { startSecretManagerEmulator } from "../standins/secret-manager";
import { buildFunction } from "../scripts/build-function";
import { buildUnbundled, coldImportMs, median, percentile } from "./cold-import";
import { startFunctionProcess } from "./function-process";

const ROOT = resolve(__dirname, "..");
const PROJECT = "keywarden-bench";
const FLEET = "bench";
const IDLE_SECRETS = Number(process.env.BENCH_IDLE_SECRETS ?? 1000);
const ROTATED_SECRETS = Number(process.env.BENCH_ROTATED_SECRETS ?? 30);

const progress = (text: string) => process.stderr.write(`bench: ${text}\n`);

async function main() {
    const bundleDir = await buildFunction(join(ROOT, "dist", "bench", "function"));
    const bundle = join(bundleDir, "index.js");
    const unbundledDir = join(ROOT, "dist", "bench", "unbundled");
    rmSync(unbundledDir, { recursive: true, force: true });
    mkdirSync(unbundledDir, { recursive: true });
    const unbundled = await buildUnbundled(ROOT, unbundledDir);
    progress("measuring cold imports");
    const coldBundle = coldImportMs(bundle, ROOT);
    const coldUnbundled = coldImportMs(unbundled, ROOT);
    const clientLoad = coldImportMs("@google-cloud/secret-manager", ROOT, 5);
    const archive = archiveSize(bundleDir);

    progress("starting the stand-ins and the bundled function");
    const emulator = await startSecretManagerEmulator();
    const sendgrid = await startFakeSendGrid({ keyLimit: ROTATED_SECRETS * 3 + 10 });
    const client = createSecretManagerClient({ SECRET_MANAGER_EMULATOR_HOST: emulator.address });
    const fn = await startFunctionProcess(
        bundle,
        {
            KEYWARDEN_PROJECT: PROJECT,
            KEYWARDEN_FLEET: FLEET,
            KEYWARDEN_ALLOW_LOOPBACK: "true",
            SECRET_MANAGER_EMULATOR_HOST: emulator.address,
            // The options the fleet deploys the function with (BENCH_NODE_OPTIONS overrides them,
            // to compare).
            NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS ?? FUNCTION_NODE_OPTIONS,
        },
        ROOT,
    );
    try {
        const policy = {
            bot: "bench-bot",
            rotationPeriod: "30d",
            gracePeriod: "2d",
            rotator: {
                kind: "http" as const,
                preset: "sendgrid" as const,
                params: { baseUrl: sendgrid.baseUrl },
            },
        };
        for (let i = 0; i < ROTATED_SECRETS; i++) {
            await seedSecret(client, {
                project: PROJECT,
                fleet: FLEET,
                id: `rotated-${i}`,
                policy,
                adminCredential: sendgrid.admin.apiKey,
            });
        }
        // Each secret is rotated twice: its first key, then a second one (the first becomes
        // previous).
        progress(`rotating ${ROTATED_SECRETS} secrets twice`);
        const rotateMs: number[] = [];
        for (let round = 0; round < 2; round++) {
            for (let i = 0; i < ROTATED_SECRETS; i++) {
                const started = process.hrtime.bigint();
                const answer = await post(fn.url + "/rotate", {
                    secret: `rotated-${i}`,
                    force: true,
                });
                rotateMs.push(Number(process.hrtime.bigint() - started) / 1e6);
                if (answer.outcome !== "rotated")
                    throw new Error(`/rotate answered ${JSON.stringify(answer)}`);
            }
        }

        const idle = {
            ...policy,
            rotator: { kind: "manual" as const },
            rotationPeriod: "90d",
            gracePeriod: "1d",
        };
        for (let i = 0; i < IDLE_SECRETS - ROTATED_SECRETS; i++) {
            await seedSecret(client, {
                project: PROJECT,
                fleet: FLEET,
                id: `idle-${i}`,
                policy: idle,
            });
        }
        progress(`idle ticks over ${IDLE_SECRETS} secrets`);
        const tickMs: number[] = [];
        const tickCalls: number[] = [];
        let secrets = 0;
        for (let run = 0; run < 5; run++) {
            emulator.calls.reset();
            const started = process.hrtime.bigint();
            const summary = await post(fn.url + "/tick", undefined);
            progress(`tick ${run}: ${summary.secrets} secrets, ${summary.due} due`);
            tickMs.push(Number(process.hrtime.bigint() - started) / 1e6);
            tickCalls.push(emulator.calls.total());
            secrets = summary.secrets;
            if (summary.due !== 0) throw new Error(`an idle tick found ${summary.due} secrets due`);
        }
        progress("stopping the function process");
        const peakRssMb = await fn.stop();
        progress("stopped");

        const result = {
            coldImportMs: round(coldBundle),
            coldImportUnbundledMs: round(coldUnbundled),
            secretManagerClientLoadMs: round(clientLoad),
            archiveBytes: archive.raw,
            archiveDeflatedBytes: archive.deflated,
            rotateMedianMs: round(median(rotateMs)),
            rotateP95Ms: round(percentile(rotateMs, 95)),
            rotations: rotateMs.length,
            idleTickSecrets: secrets,
            idleTickMs: round(median(tickMs)),
            idleTickSecretManagerCalls: Math.max(...tickCalls),
            peakRssMb: round(peakRssMb),
        };
        printTable(result);
        process.stdout.write(JSON.stringify(result) + "\n");
    } finally {
        progress("stopping stand-ins");
        await sendgrid.stop();
        await client.close();
        await emulator.stop();
    }
}

function archiveSize(dir: string) {
    let raw = 0;
    let deflated = 0;
    for (const name of readdirSync(dir)) {
        const data = readFileSync(join(dir, name));
        raw += data.length;
        deflated += deflateRawSync(data, { level: 9 }).length;
    }
    return { raw, deflated };
}

async function post(url: string, body: unknown): Promise<any> {
    const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
    });
    return response.json();
}

function round(value: number) {
    return Math.round(value * 10) / 10;
}

function printTable(result: Record<string, number>) {
    const goals: Record<string, string> = {
        coldImportMs: "<= 100",
        rotateMedianMs: "<= 50 (overhead)",
        idleTickMs: "<= 2000",
        idleTickSecretManagerCalls: "constant",
        peakRssMb: "<= 128",
    };
    process.stdout.write("figure                           value        goal\n");
    for (const [name, value] of Object.entries(result)) {
        process.stdout.write(
            `${name.padEnd(32)} ${String(value).padEnd(12)} ${goals[name] ?? ""}\n`,
        );
    }
}

main().catch((error) => {
    process.stderr.write(
        `bench:rotation failed: ${error instanceof Error ? error.stack : error}\n`,
    );
    process.exit(1);
});
