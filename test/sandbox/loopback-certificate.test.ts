import * as assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import { createLoopbackCertificate } from "../../sandbox/tls/loopback-certificate";

/** GETs / from a TLS server on 127.0.0.1; resolves with the body or the TLS error code. */
function fetchOverTls(port: number, ca?: string): Promise<string> {
    return new Promise((resolve) => {
        https
            .get({ host: "127.0.0.1", port, path: "/", ca, agent: false }, (res) => {
                const chunks: Buffer[] = [];
                res.on("data", (c: Buffer) => chunks.push(c));
                res.on("end", () => resolve(Buffer.concat(chunks).toString()));
            })
            .on("error", (error: NodeJS.ErrnoException) => resolve(`error ${error.code}`));
    });
}

describe("the sandbox's loopback certificate", () => {
    const { certPem } = createLoopbackCertificate(new Date("2026-06-01T12:00:00Z"));
    const certificate = new X509Certificate(certPem);

    it("is a self-signed certificate for the address 127.0.0.1 and nothing else", () => {
        assert.equal(certificate.subjectAltName, "IP Address:127.0.0.1");
        assert.equal(certificate.checkIP("127.0.0.1"), "127.0.0.1");
        assert.equal(certificate.checkIP("10.0.0.1"), undefined);
        assert.equal(certificate.checkHost("localhost"), undefined);
        assert.ok(certificate.verify(certificate.publicKey), "signed by its own key");
        assert.equal(certificate.issuer, certificate.subject);
    });

    it("is valid from an hour before it was made until a day after", () => {
        assert.equal(new Date(certificate.validFrom).toISOString(), "2026-06-01T11:00:00.000Z");
        assert.equal(new Date(certificate.validTo).toISOString(), "2026-06-02T12:00:00.000Z");
    });

    it("gets a fresh key and serial each time", () => {
        const other = new X509Certificate(createLoopbackCertificate().certPem);
        assert.notEqual(other.serialNumber, certificate.serialNumber);
        const point = (c: X509Certificate) => c.publicKey.export({ format: "jwk" }).x;
        assert.notEqual(point(other), point(certificate));
    });

    it("serves TLS that a client trusting it accepts and any other client refuses", async () => {
        const fresh = createLoopbackCertificate();
        const server = https.createServer({ key: fresh.keyPem, cert: fresh.certPem }, (_req, res) =>
            res.end("healthy"),
        );
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        try {
            const port = (server.address() as AddressInfo).port;
            assert.equal(await fetchOverTls(port, fresh.certPem), "healthy");
            assert.equal(await fetchOverTls(port), "error DEPTH_ZERO_SELF_SIGNED_CERT");
            assert.equal(
                await fetchOverTls(port, certPem),
                "error DEPTH_ZERO_SELF_SIGNED_CERT",
                "another sandbox's certificate does not vouch for this one",
            );
        } finally {
            server.closeAllConnections();
            await new Promise((resolve) => server.close(resolve));
        }
    });
});
