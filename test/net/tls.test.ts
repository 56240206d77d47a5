/**
 * A provider over real TLS: the fake SendGrid behind a TLS front on 127.0.0.1 with a fresh
 * self-signed certificate, and the SendGrid preset rotating through it in a child process. With
 * the certificate trusted (as a public CA's would be), create, verify and revoke succeed; without
 * it, the handshake fails and nothing reaches the provider: there is no insecure fallback.
 */
import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createConnection, AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer, Server } from "node:tls";
import { createLoopbackCertificate } from "../../sandbox/tls/loopback-certificate";
import { FakeSendGrid, startFakeSendGrid } from "../../standins/providers/sendgrid";

const CHILD = join(__dirname, "support", "rotate-over-tls.ts");

interface ChildResult {
    outcome: "rotated" | "failed";
    keyId?: string;
    revoked?: string;
    code?: string;
    message?: string;
}

/** Runs the child with `env` added, the admin key on stdin; resolves its JSON line. */
function rotateOverTls(baseUrl: string, admin: string, env: Record<string, string>) {
    return new Promise<{ result: ChildResult; output: string }>((resolve, reject) => {
        const child = execFile(
            process.execPath,
            ["--require", "tsx/cjs", CHILD, baseUrl],
            { env: { ...process.env, ...env }, timeout: 30_000 },
            (error, stdout, stderr) => {
                if (error) return reject(new Error(`the child failed: ${stderr || error.message}`));
                const line = stdout.trim().split("\n").at(-1) ?? "";
                resolve({ result: JSON.parse(line) as ChildResult, output: stdout + stderr });
            },
        );
        child.stdin!.end(admin);
    });
}

describe("a provider call over TLS", function () {
    this.timeout(60_000);
    let sendgrid: FakeSendGrid;
    let front: Server;
    let baseUrl: string;
    let dir: string;
    let caFile: string;
    let handshakes: number;

    before(async () => {
        sendgrid = await startFakeSendGrid();
        const certificate = createLoopbackCertificate();
        dir = mkdtempSync(join(tmpdir(), "keywarden-tls-"));
        caFile = join(dir, "ca.pem");
        writeFileSync(caFile, certificate.certPem);
        const backend = new URL(sendgrid.baseUrl);
        handshakes = 0;
        // TLS ends here; the plain bytes go on to the fake, as behind a load balancer.
        front = createServer({ cert: certificate.certPem, key: certificate.keyPem }, (socket) => {
            handshakes += 1;
            const upstream = createConnection(Number(backend.port), backend.hostname);
            socket.pipe(upstream).pipe(socket);
            socket.on("error", () => upstream.destroy());
            upstream.on("error", () => socket.destroy());
        });
        front.on("tlsClientError", () => undefined);
        await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", resolve));
        baseUrl = `https://127.0.0.1:${(front.address() as AddressInfo).port}`;
    });
    after(async () => {
        await new Promise((resolve) => front.close(resolve));
        await sendgrid.stop();
        rmSync(dir, { recursive: true, force: true });
    });

    it("creates, verifies and revokes a key when the certificate is trusted", async () => {
        const { result, output } = await rotateOverTls(baseUrl, sendgrid.admin.apiKey, {
            NODE_EXTRA_CA_CERTS: caFile,
        });
        assert.equal(result.outcome, "rotated", result.message);
        assert.equal(result.revoked, "revoked");
        const key = sendgrid.register.find(result.keyId!);
        assert.ok(key, "the provider issued the key");
        assert.equal(key.name, "keywarden-tls-t1");
        assert.equal(sendgrid.register.isValid(key), false, "and it is revoked");
        assert.equal(sendgrid.requests.count("verify"), 1);
        assert.ok(handshakes >= 3, "each call made its own TLS connection");
        assert.ok(!output.includes(key.secret), "the child printed no key");
        assert.ok(!output.includes(sendgrid.admin.apiKey), "nor the admin key");
    });

    it("refuses a certificate it does not trust, and sends the provider nothing", async () => {
        const created = sendgrid.requests.count("create");
        const { result, output } = await rotateOverTls(baseUrl, sendgrid.admin.apiKey, {});
        assert.equal(result.outcome, "failed");
        assert.equal(result.code, "provider-error");
        assert.equal(
            result.message,
            `SendGrid create got no usable answer: POST ${baseUrl}/v3/api_keys: the attempt ` +
                "failed (DEPTH_ZERO_SELF_SIGNED_CERT); the host's TLS certificate was not " +
                "trusted, so nothing was sent: check the URL's host name and the host's " +
                "certificate",
        );
        assert.equal(sendgrid.requests.count("create"), created, "no request reached SendGrid");
        assert.ok(!output.includes(sendgrid.admin.apiKey), "the admin key is in no output");
    });
});
