/**
 * Writes docs/events.md from functions/rotator/events.ts, so the event contract is written once.
 * `npm run docs:events`; test/docs/events.test.ts fails when the two differ.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { EVENTS, FAILURE_EVENTS } from "../functions/rotator/events";

/** The whole text of docs/events.md. */
export function eventsMarkdown(): string {
    const rows = Object.entries(EVENTS).map(([name, meaning]) => `| \`${name}\` | ${meaning} |`);
    return [
        "# Log events",
        "",
        "The rotator function writes one JSON object per line to stdout; Cloud Logging reads its",
        "`severity`, and the `event` field names what happened. These names are a contract: the " +
            "fleet",
        "component builds its log-based metrics and alert policies on them, and operators search " +
            "by",
        "them. Renaming one is a breaking change. This file is generated from",
        "`functions/rotator/events.ts` by `npm run docs:events`; a test fails when they differ.",
        "",
        "| event | meaning |",
        "|---|---|",
        ...rows,
        "",
        `Events counted by the fleet's rotation-failed alert: ` +
            `${FAILURE_EVENTS.map((e) => `\`${e}\``).join(", ")}.`,
        "",
        "Every line also carries identifiers where they apply (`bot`, `secret`, `version`, " +
            "`keyId`,",
        "`attemptId`) and never key material: keys, tokens, admin credentials and webhook URLs are",
        "not logged, and a test scans every line the end-to-end tests produce for them.",
        "",
    ].join("\n");
}

if (require.main === module) {
    writeFileSync(join(__dirname, "..", "docs", "events.md"), eventsMarkdown());
}
