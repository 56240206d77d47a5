import * as assert from "node:assert/strict";
import { Display, Output } from "../../sandbox/display";

/** An output that keeps what was written; `isTTY` as given. */
function capture(isTTY: boolean): Output & { text: () => string } {
    const chunks: string[] = [];
    return { isTTY, write: (chunk: string) => chunks.push(chunk), text: () => chunks.join("") };
}

const NOON = () => new Date(2026, 5, 1, 12, 0, 5, 42);
const ESCAPE = "\u001b[";

describe("the sandbox's terminal display", () => {
    it("writes one plain line per event, with the local time, lane and label in columns", () => {
        const out = capture(false);
        const display = new Display(out, { now: NOON });
        display.line({
            lane: "function",
            label: "rotation.succeeded",
            detail: "mail-key: version 2 is current",
            tone: "good",
        });
        display.line({
            lane: "bot",
            label: "call FAILED",
            detail: "POST /v3/mail/send answered 401",
            tone: "bad",
        });
        assert.equal(
            out.text(),
            "12:00:05.042  function rotation.succeeded   mail-key: version 2 is current\n" +
                "12:00:05.042  bot      call FAILED          POST /v3/mail/send answered 401\n",
        );
    });

    it("uses colour only when writing to a terminal, and never with NO_COLOR set", () => {
        const failure = { lane: "bot", label: "call FAILED", detail: "x", tone: "bad" } as const;
        const tty = capture(true);
        new Display(tty, { now: NOON, env: {} }).line(failure);
        assert.ok(tty.text().includes(`${ESCAPE}31m`), "a failure is red on a terminal");
        const off = capture(true);
        new Display(off, { now: NOON, env: { NO_COLOR: "1" } }).line(failure);
        assert.ok(!off.text().includes(ESCAPE));
        const pipe = capture(false);
        new Display(pipe, { now: NOON, env: {} }).table("summary", [["rotations", "3"]]);
        assert.equal(pipe.text(), "summary\n  rotations  3\n");
    });

    it("redacts every known secret, even one made after it started, and counts the lines", () => {
        const out = capture(false);
        const display = new Display(out, { now: NOON });
        const keys = ["SG.first-key-0123456789"];
        display.watchSecrets(() => keys);
        display.line({ lane: "bot", label: "calls", detail: "nothing secret here" });
        keys.push("SG.second-key-9876543210");
        display.line({
            lane: "function",
            label: "oops",
            detail: "key SG.second-key-9876543210 twice SG.second-key-9876543210",
        });
        display.text("banner with SG.first-key-0123456789");
        assert.equal(display.redacted, 2);
        assert.ok(!out.text().includes("SG."), out.text());
        assert.ok(out.text().includes("key [redacted] twice [redacted]"));
    });
});
