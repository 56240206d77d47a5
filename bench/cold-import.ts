/**
 * Cold import time: how long a fresh Node.js process takes to load the function's module, for
 * the deployed bundle and for the same sources unbundled (one file per module, as `tsc` emits
 * them). Each figure is the median of several fresh processes, measured inside the process.
 */
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** Median time in ms to `require(entry)` in a fresh process, over `runs` processes. */
export function coldImportMs(entry: string, cwd: string, runs = 7): number {
    const script =
        "const t=process.hrtime.bigint();require(process.argv[1]);" +
        "process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))";
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
        samples.push(
            Number(
                execFileSync(process.execPath, ["-e", script, entry], { cwd, encoding: "utf8" }),
            ),
        );
    }
    return median(samples);
}

/** Transpiles functions/rotator file by file (no bundling) into `outDir`; returns the entry. */
export async function buildUnbundled(root: string, outDir: string): Promise<string> {
    const sources = listTs(join(root, "functions"));
    await build({
        entryPoints: sources,
        outdir: join(outDir, "functions"),
        outbase: join(root, "functions"),
        bundle: false,
        platform: "node",
        format: "cjs",
        target: "node22",
        logLevel: "warning",
    });
    return join(outDir, "functions", "rotator", "index.js");
}

function listTs(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) return listTs(path);
        return name.endsWith(".ts") ? [path] : [];
    });
}

export function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function percentile(values: number[], p: number): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
