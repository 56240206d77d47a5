/**
 * Builds the rotator function as it is deployed: one bundled `index.js` (esbuild) plus a
 * `package.json` naming the runtime dependencies that stay outside the bundle, in
 * `dist/function/`. The fleet component archives that folder.
 *
 * Why a bundle: a cold start pays for every module file Node.js resolves and reads; one file of
 * the function's own code and axios loads in a fraction of the time the unbundled tree takes.
 * Why some packages stay outside: the official Secret Manager client and Google's auth library
 * read their `.proto` and JSON files from their package folders at run time, so they are
 * installed by Cloud Build from the generated package.json instead, and loaded lazily (on the
 * first request, not at import).
 *
 * The output depends only on the sources and the pinned versions: the same sources give the
 * same bytes (no timestamps, no absolute paths), which the component's archive hash relies on.
 */
import { build } from "esbuild";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

/** Packages loaded from node_modules at run time instead of being bundled. */
export const RUNTIME_DEPENDENCIES = ["@google-cloud/secret-manager", "google-auth-library"];

/** Builds into `outDir` (default dist/function) and returns the folder. */
export async function buildFunction(
    outDir = resolve(__dirname, "..", "dist", "function"),
): Promise<string> {
    const root = resolve(__dirname, "..");
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });
    await build({
        entryPoints: [join(root, "functions", "rotator", "index.ts")],
        outfile: join(outDir, "index.js"),
        bundle: true,
        platform: "node",
        target: "node22",
        format: "cjs",
        minify: true,
        legalComments: "none",
        external: RUNTIME_DEPENDENCIES,
        absWorkingDir: root,
        logLevel: "warning",
    });
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
        version: string;
        dependencies: Record<string, string>;
    };
    const dependencies = Object.fromEntries(
        RUNTIME_DEPENDENCIES.map((name) => [name, pkg.dependencies[name]]),
    );
    const manifest = {
        name: "keywarden-rotator",
        version: pkg.version,
        private: true,
        main: "index.js",
        engines: { node: ">=22" },
        dependencies,
    };
    writeFileSync(join(outDir, "package.json"), JSON.stringify(manifest, null, 2) + "\n");
    return outDir;
}

if (require.main === module) {
    buildFunction(process.argv[2] ? resolve(process.argv[2]) : undefined).then(
        (dir) => process.stdout.write(`built the rotator function into ${dir}\n`),
        (error) => {
            process.stderr.write(
                `building the rotator function failed: ` +
                    `${error instanceof Error ? error.message : error}\n`,
            );
            process.exit(1);
        },
    );
}
