import * as assert from "node:assert/strict";
import { execSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EVENTS } from "../../functions/rotator/events";
import { eventsMarkdown } from "../../scripts/docs-events";

const ROOT = join(__dirname, "..", "..");

describe("the log event contract", () => {
    it("docs/events.md is the generated table (run `npm run docs:events` after changing events.ts)", () => {
        assert.equal(readFileSync(join(ROOT, "docs", "events.md"), "utf8"), eventsMarkdown());
    });

    it("every event the function's source logs is in the contract", () => {
        const out = execSync(
            'grep -rhoE \'logEvent\\(\\s*"[A-Z]+",\\s*"[a-z.]+"\' functions/rotator',
            { cwd: ROOT, encoding: "utf8" },
        );
        const logged = new Set([...out.matchAll(/"([a-z]+\.[a-z.]+)"/g)].map((m) => m[1]));
        assert.ok(logged.size >= 10, `found ${logged.size} logged events`);
        assert.deepEqual(
            [...logged].filter((name) => !(name in EVENTS)),
            [],
        );
    });
});
