import * as assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { EVENTS } from "../../functions/rotator/events";
import { eventsMarkdown } from "../../scripts/docs-events";

const ROOT = join(__dirname, "..", "..");

describe("the log event contract", () => {
    it(
        "docs/events.md is the generated table (run `npm run docs:events` after changing " +
            "events.ts)",
        () => {
            assert.equal(readFileSync(join(ROOT, "docs", "events.md"), "utf8"), eventsMarkdown());
        },
    );

    it("every event the function's source logs is in the contract", () => {
        // Read the sources rather than grep them: a formatted call spans several lines.
        const call = /logEvent\(\s*"[A-Z]+",\s*"([a-z]+\.[a-z.]+)"/g;
        const logged = new Set(
            sourceFiles(join(ROOT, "functions", "rotator")).flatMap((file) =>
                [...readFileSync(file, "utf8").matchAll(call)].map((m) => m[1]),
            ),
        );
        assert.ok(logged.size >= 10, `found only ${logged.size} logged events`);
        assert.deepEqual(
            [...logged].filter((name) => !(name in EVENTS)),
            [],
        );
    });
});

function sourceFiles(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true, recursive: true })
        .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
        .map((entry) => join(entry.parentPath, entry.name));
}
