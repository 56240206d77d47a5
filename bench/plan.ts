/**
 * Plan benchmark: evaluates the stack program for 10, 100 and 1,000 bots under Pulumi's mock
 * runtime, and the same resources and stack outputs declared directly (the same declaration
 * functions, without the `Fleet` and `Bot` component resources), in one run. Prints a table,
 * then one JSON line: resources per bot, time per bot, the ratio of component time to direct
 * time (median of paired runs, and their range), and peak RSS. Goal: ratio <= 1.05, and time
 * per bot that does not grow with the number of bots.
 *
 * Run with `npx tsx bench/plan.ts`. It needs no build and no network: the function's build is
 * a stand-in written to a temporary directory.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as v8 from "v8";
import * as vm from "vm";
import * as pulumi from "@pulumi/pulumi";
import { checkBotArgs, declareBot } from "../components/bot/bot";
import { ALERT_KEYS } from "../components/fleet/alerts";
import { checkFleetArgs, declareFleet } from "../components/fleet/fleet";
import { secretBotArgs, secretFleetArgs } from "../components/stack/config";
import { planStack } from "../components/stack/plan";
import { runStack, StackOutputs } from "../components/stack/program";
import { mockOutputs } from "../test/components/mocks";

const SIZES = [10, 100, 1000];
/** Runs per size and mode, alternating which mode goes first; medians count. */
const REPEATS: Record<number, number> = { 10: 5, 100: 5, 1000: 5 };

type Mode = "components" | "direct";

// A full garbage collection before each measurement, so that one mode does not pay for the
// garbage of the run before it. `--expose-gc` set at run time spares a node flag.
v8.setFlagsFromString("--expose-gc");
const collectGarbage: () => void = vm.runInNewContext("gc");

/** Five kinds of bot, cycled; every tenth bot has a health check (100 at 1,000 bots, the quota). */
function botConfig(index: number): Record<string, unknown> {
    const name = `bot-${index}`;
    const reader = [`serviceAccount:${name}@bench-project.iam.gserviceaccount.com`];
    const manual = {
        rotator: { kind: "manual", verify: "telegram" },
        rotationPeriod: "90d",
        gracePeriod: "1d",
        initialValue: "123456:stand-in",
    };
    const kinds: Record<string, unknown>[] = [
        {
            telegram: manual,
            sendgrid: {
                rotator: { kind: "http", preset: "sendgrid" },
                rotationPeriod: "30d",
                gracePeriod: "2d",
                adminSecret: "sendgrid-admin",
            },
        },
        {
            gemini: {
                rotator: { kind: "google-api-key", project: "bench-ai" },
                rotationPeriod: "30d",
                gracePeriod: "1d",
            },
        },
        {
            openai: {
                rotator: { kind: "http", preset: "openai", params: { projectId: "proj_bench" } },
                rotationPeriod: "30d",
                gracePeriod: "2d",
                adminValue: "sk-admin-stand-in",
            },
        },
        { discord: { ...manual, rotator: { kind: "manual", verify: "discord" } } },
        {
            slack: {
                rotator: { kind: "oauth-refresh", provider: "slack", clientId: "1234.5678" },
                rotationPeriod: "6h",
                gracePeriod: "1h",
                adminSecret: `${name}-slack-client`,
            },
        },
    ];
    const healthCheck = { url: `https://${name}.bench.example/healthz` };
    return {
        name,
        readers: reader,
        secrets: kinds[index % kinds.length],
        ...(index % 10 === 0 ? { healthCheck } : {}),
    };
}

function stackConfig(bots: number, functionDir: string): Record<string, string> {
    return {
        "gcp:project": "bench-project",
        "keywarden:fleetName": "bench",
        "keywarden:functionDir": functionDir,
        "keywarden:slack": JSON.stringify({
            alertRoute: "native",
            channelName: "#bench",
            authToken: "xoxb-stand-in",
            webhookUrl: "https://hooks.slack.com/services/T0/B0/stand-in",
        }),
        "keywarden:bots": JSON.stringify(Array.from({ length: bots }, (_, i) => botConfig(i))),
    };
}

/**
 * The same resources and stack outputs as `runStack`, declared without component resources:
 * what the stack program would be if it called the declaration functions itself.
 */
function declareDirectly(): StackOutputs {
    const plan = planStack();
    const fleetArgs = secretFleetArgs(plan.fleetArgs);
    const name = plan.fleet.fleetName;
    const fleet = declareFleet(name, checkFleetArgs(name, fleetArgs), {});
    const botSecrets: Record<string, pulumi.Output<Record<string, string>>> = {};
    for (const { entry } of plan.bots) {
        const bot = entry.args.botName;
        const args = secretBotArgs({ ...entry.args, fleet: fleet.connection });
        const declared = declareBot(bot, checkBotArgs(bot, args), fleet.connection, {});
        const names: Record<string, pulumi.Output<string>> = {};
        for (const [key, secret] of Object.entries(declared.secrets)) names[key] = secret.key.name;
        botSecrets[bot] = pulumi.output(names);
    }
    return {
        connection: fleet.connection,
        functionUri: fleet.functionUri,
        notificationChannel: fleet.channel.name,
        alertPolicies: pulumi.all(ALERT_KEYS.map((key) => fleet.alerts[key].name)),
        botSecrets: pulumi.output(botSecrets),
    };
}

interface Measure {
    ms: number;
    resources: string[];
}

/** Runs one mode once under fresh mocks; returns its time and the cloud resources it declared. */
async function measure(mode: Mode, config: Record<string, string>): Promise<Measure> {
    const resources: string[] = [];
    pulumi.runtime.setAllConfig(config, ["keywarden:slack", "keywarden:bots"]);
    await pulumi.runtime.setMocks(
        {
            newResource(args) {
                if (args.custom) resources.push(`${args.type}::${args.name}`);
                return mockOutputs(args.type, args.name, args.inputs);
            },
            call: (args) => ({ number: "123456789012", projectId: args.inputs.projectId }),
        },
        "keywarden",
        "bench",
        false,
    );
    collectGarbage();
    const started = process.hrtime.bigint();
    await pulumi.runtime.runInPulumiStack(async () => {
        // Returned, the outputs become the stack's outputs, as `index.ts` exports them.
        const outputs = mode === "components" ? runStack() : declareDirectly();
        return { ...outputs };
    });
    await pulumi.runtime.disconnect();
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    pulumi.runtime.resetOptions("keywarden", "bench", -1, "", "", false, "");
    return { ms, resources: resources.sort() };
}

/** The middle value (the mean of the two middle ones for an even count). */
function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** One size's result: median times, and the median of the paired component/direct ratios. */
interface Row {
    bots: number;
    resources: number;
    direct: number;
    components: number;
    ratio: number;
    /** The lowest and highest paired ratio: how far one run on a shared machine can stray. */
    spread: [number, number];
}

async function main() {
    // The runtime records a stack trace for every promise it makes; mapping each through tsx's
    // source maps would dominate the time of both modes alike. Off, as in the component tests.
    process.setSourceMapsEnabled(false);
    const functionDir = fs.mkdtempSync(path.join(os.tmpdir(), "keywarden-bench-"));
    fs.writeFileSync(path.join(functionDir, "index.js"), "exports.keywarden = () => {};\n");
    fs.writeFileSync(path.join(functionDir, "package.json"), '{"name":"keywarden-function"}\n');
    try {
        // Warm-up: the first run pays for module loading and JIT compilation.
        for (const mode of ["direct", "components"] as Mode[]) {
            await measure(mode, stackConfig(10, functionDir));
        }
        const fleetOnly = (await measure("direct", stackConfig(0, functionDir))).resources.length;

        const rows: Row[] = [];
        for (const bots of SIZES) {
            const config = stackConfig(bots, functionDir);
            const times: Record<Mode, number[]> = { direct: [], components: [] };
            let declared: Record<Mode, string[]> | undefined;
            for (let i = 0; i < REPEATS[bots]; i++) {
                // Alternating the order spreads garbage collection and warm-up over both modes.
                const order: Mode[] =
                    i % 2 === 0 ? ["direct", "components"] : ["components", "direct"];
                const run: Partial<Record<Mode, string[]>> = {};
                for (const mode of order) {
                    const result = await measure(mode, config);
                    times[mode].push(result.ms);
                    run[mode] = result.resources;
                }
                declared = run as Record<Mode, string[]>;
            }
            if (declared!.direct.join("\n") !== declared!.components.join("\n")) {
                throw new Error(`the two modes declared different resources for ${bots} bots`);
            }
            // Each repetition runs both modes back to back, so their ratio cancels the slow
            // drifts of a shared machine that a ratio of separate medians would keep.
            const ratios = times.direct.map((direct, i) => times.components[i] / direct);
            rows.push({
                bots,
                resources: declared!.direct.length,
                direct: median(times.direct),
                components: median(times.components),
                ratio: median(ratios),
                spread: [Math.min(...ratios), Math.max(...ratios)],
            });
        }
        report(rows, fleetOnly);
    } finally {
        fs.rmSync(functionDir, { recursive: true, force: true });
    }
}

function report(rows: Row[], fleetOnly: number) {
    const pad = (text: string | number, width: number) => String(text).padStart(width);
    console.log(
        `${pad("bots", 6)} ${pad("resources", 10)} ${pad("direct ms", 10)} ` +
            `${pad("component ms", 13)} ${pad("ratio", 6)} ${pad("ratio range", 12)} ` +
            `${pad("ms/bot", 7)}`,
    );
    for (const row of rows) {
        console.log(
            `${pad(row.bots, 6)} ${pad(row.resources, 10)} ` +
                `${pad(row.direct.toFixed(0), 10)} ${pad(row.components.toFixed(0), 13)} ` +
                `${pad(row.ratio.toFixed(3), 6)} ` +
                `${pad(row.spread.map((r) => r.toFixed(2)).join("-"), 12)} ` +
                `${pad((row.components / row.bots).toFixed(2), 7)}`,
        );
    }
    const largest = rows[rows.length - 1];
    const middle = rows[rows.length - 2];
    const perBot = (row: typeof largest) => row.components / row.bots;
    console.log(
        JSON.stringify({
            resourcesPerBot: Number(((largest.resources - fleetOnly) / largest.bots).toFixed(2)),
            timePerBotMs: Number(perBot(largest).toFixed(3)),
            ratio: Number(largest.ratio.toFixed(3)),
            ratioRange: largest.spread.map((r) => Number(r.toFixed(3))),
            // Time per bot at 1,000 bots over time per bot at 100: 1.0 is linear growth. The
            // same figure for the direct declarations tells the runtime's share from ours.
            growth: Number((perBot(largest) / perBot(middle)).toFixed(3)),
            directGrowth: Number(
                (largest.direct / largest.bots / (middle.direct / middle.bots)).toFixed(3),
            ),
            peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
        }),
    );
}

main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
});
