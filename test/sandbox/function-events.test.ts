import * as assert from "node:assert/strict";
import { FunctionEvents } from "../../sandbox/function-events";
import type { FunctionOutput } from "../../sandbox/function-process";

/** A stdout line the way the function writes it. */
function logLine(severity: string, event: string, message: string): FunctionOutput {
    const entry = { severity, event, message, time: "2026-06-01T12:00:00.000Z" };
    return { stream: "stdout", text: JSON.stringify(entry), entry };
}

describe("the sandbox's view of the function's log lines", () => {
    it("shows each event under its own name and counts rotations, retirements, failures", () => {
        const events = new FunctionEvents(false);
        const shown = [
            logLine("NOTICE", "rotation.succeeded", "mail-key: version 2 is current"),
            logLine("NOTICE", "retirement.succeeded", "mail-key: version 1 retired"),
            logLine("WARNING", "retirement.waiting", "the bot's health check answers HTTP 503"),
            logLine("ERROR", "rotation.failed", "creating the key at SendGrid failed"),
        ].map((line) => events.read(line));
        assert.deepEqual(
            shown.map((line) => [line?.label, line?.tone]),
            [
                ["rotation.succeeded", "good"],
                ["retirement.succeeded", "good"],
                ["retirement.waiting", "warn"],
                ["rotation.failed", "bad"],
            ],
        );
        assert.equal(shown[0]?.detail, "mail-key: version 2 is current");
        assert.deepEqual(events.tally, { rotations: 1, retirements: 1, failures: 1 });
    });

    it("hides the per-tick lines unless verbose, and the listening line always", () => {
        const tick = logLine("INFO", "tick.completed", "tick: 1 secrets, 0 due");
        const listening = logLine("INFO", "function.listening", "");
        assert.equal(new FunctionEvents(false).read(tick), undefined);
        assert.deepEqual(new FunctionEvents(true).read(tick), {
            lane: "function",
            label: "tick.completed",
            detail: "tick: 1 secrets, 0 due",
            tone: "dim",
        });
        assert.equal(new FunctionEvents(true).read(listening), undefined);
    });

    it("shows text that is not a log line as it is, stderr as a failure", () => {
        const events = new FunctionEvents(false);
        assert.deepEqual(events.read({ stream: "stderr", text: "TypeError: boom" }), {
            lane: "function",
            label: "stderr",
            detail: "TypeError: boom",
            tone: "bad",
        });
        assert.equal(events.read({ stream: "stdout", text: "  " }), undefined);
    });
});
