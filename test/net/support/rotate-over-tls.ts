/**
 * Child process of `tls.test.ts`: creates, verifies and revokes one key through the SendGrid
 * preset at the https base URL in argv[2], with the real guarded client. A child because the
 * CA it trusts is `NODE_EXTRA_CA_CERTS`, which Node.js reads only when a process starts. The
 * admin key comes on stdin, never in argv or the environment. Prints one JSON line: what
 * happened, never a key.
 */
import { createRotator } from "../../../functions/rotator/rotators";
import { RotatorError } from "../../../functions/rotator/rotators/rotator";
import { depsWith, loopbackClient, RecordingTransport } from "../../rotators/support";

async function main() {
    const baseUrl = process.argv[2];
    const admin = (await readStdin()).trim();
    const source = createRotator(
        { kind: "http", preset: "sendgrid", params: { baseUrl } },
        depsWith(new RecordingTransport(loopbackClient()), admin),
    );
    if (source.mode !== "automatic") throw new Error("the SendGrid preset is automatic");
    const rotator = source.rotator;
    try {
        const issued = await rotator.create({ keyName: "keywarden-tls-t1", attemptId: "t1" });
        await rotator.verify(issued);
        const revoked = await rotator.revoke(issued.keyId);
        console.log(JSON.stringify({ outcome: "rotated", keyId: issued.keyId, revoked }));
    } catch (error) {
        const code = error instanceof RotatorError ? error.code : "other";
        const message = error instanceof Error ? error.message : String(error);
        console.log(JSON.stringify({ outcome: "failed", code, message }));
    }
}

function readStdin(): Promise<string> {
    return new Promise((resolve, reject) => {
        let text = "";
        process.stdin.setEncoding("utf8");
        process.stdin.on("data", (chunk) => (text += chunk));
        process.stdin.on("end", () => resolve(text));
        process.stdin.on("error", reject);
    });
}

main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
});
