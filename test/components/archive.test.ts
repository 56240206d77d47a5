/**
 * The function archive is deterministic: the same sources give the same object (no change on
 * `pulumi up`), and any change to them gives a new object and so a redeploy.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { readFunctionArchive } from "../../components/fleet/archive";
import { Fleet } from "../../components/fleet/fleet";
import { Problems } from "../../components/problems";
import { runUnderMocks } from "./harness";
import { makeFunctionDir, nativeFleetArgs, removeFunctionDirs } from "./fixtures";
import { T } from "./tokens";

function archiveOf(dir: string) {
    const problems = new Problems();
    const archive = readFunctionArchive(dir, problems);
    assert.deepStrictEqual(problems.all, []);
    return archive!;
}

/** Declares a fleet from `dir` and returns the archive object's name and the function's. */
async function deployedObject(dir: string) {
    const run = await runUnderMocks(() => void new Fleet("prod", nativeFleetArgs(dir)));
    if (run.error) throw run.error;
    const object = run.recording.get(T.BucketObject, "prod-archive").inputs;
    const fn = run.recording.get(T.Function, "prod-function").inputs;
    const deployed = fn.buildConfig.source.storageSource.object;
    return { object: object.name, deployed, source: object.source };
}

describe("Function archive", () => {
    after(removeFunctionDirs);

    it("gives two builds of the same sources the same hash, in whatever order written", () => {
        const first = makeFunctionDir({ "lib/a.js": "a", "lib/b.js": "b" });
        const second = makeFunctionDir();
        fs.mkdirSync(path.join(second, "lib"));
        fs.writeFileSync(path.join(second, "lib/b.js"), "b");
        fs.writeFileSync(path.join(second, "lib/a.js"), "a");
        assert.strictEqual(archiveOf(first).hash, archiveOf(second).hash);
        assert.deepStrictEqual(archiveOf(first).files, [
            "index.js",
            "lib/a.js",
            "lib/b.js",
            "package.json",
        ]);
        assert.match(archiveOf(first).objectName, /^rotator-[0-9a-f]{16}\.zip$/);
    });

    it("gives a new hash when a file changes, is added, or is renamed", () => {
        const base = archiveOf(makeFunctionDir({ "lib/a.js": "a" })).hash;
        const changed = archiveOf(makeFunctionDir({ "lib/a.js": "a", "index.js": "changed" })).hash;
        const added = archiveOf(makeFunctionDir({ "lib/a.js": "a", "lib/b.js": "" })).hash;
        const renamed = archiveOf(makeFunctionDir({ "lib/c.js": "a" })).hash;
        assert.strictEqual(new Set([base, changed, added, renamed]).size, 4);
    });

    it("tells apart bytes moved between a file's name and its content", () => {
        const one = archiveOf(makeFunctionDir({ ab: "c" })).hash;
        const two = archiveOf(makeFunctionDir({ a: "bc" })).hash;
        assert.notStrictEqual(one, two);
    });

    it("names the same object for the same sources, and a new one for changed ones", async () => {
        const dir = makeFunctionDir();
        const first = await deployedObject(dir);
        const again = await deployedObject(makeFunctionDir());
        fs.appendFileSync(path.join(dir, "index.js"), "// a fix\n");
        const changed = await deployedObject(dir);
        assert.strictEqual(first.object, again.object);
        assert.strictEqual(first.deployed, first.object);
        assert.notStrictEqual(changed.object, first.object);
        assert.strictEqual(changed.deployed, changed.object);
    });

    it("uploads every file of the build under its relative path", async () => {
        const dir = makeFunctionDir({ "lib/util.js": "x" });
        const { source } = await deployedObject(dir);
        const assets = await source.assets;
        assert.deepStrictEqual(Object.keys(assets).sort(), [
            "index.js",
            "lib/util.js",
            "package.json",
        ]);
        assert.strictEqual(await assets["lib/util.js"].path, path.join(dir, "lib", "util.js"));
    });
});
