/**
 * A throwaway TLS certificate for 127.0.0.1, so that the sample bot's health endpoint can be
 * served over https like a real one.
 *
 * Why not plain http: a rotation policy's `healthUrl` must be https, and the validator that says
 * so is the one `pulumi preview` and the deployed function run. The sandbox keeps that rule
 * instead of bending it: it serves the health check over TLS with this certificate and starts
 * the function process with `NODE_EXTRA_CA_CERTS` naming it, so the function's ordinary https
 * client verifies the bot's certificate as it would any other. The only sandbox-only setting
 * involved is `KEYWARDEN_ALLOW_LOOPBACK`, which lets the function connect to 127.0.0.1 at all.
 *
 * The certificate is self-signed (its own trust anchor), valid for the IP address 127.0.0.1
 * only, from an hour ago (clock skew) to a day from now; the private key never leaves memory.
 */
import { generateKeyPairSync, randomBytes, sign, X509Certificate } from "node:crypto";
import {
    bitString,
    boolean,
    explicit,
    implicitPrimitive,
    objectIdentifier,
    octetString,
    sequence,
    set,
    unsignedInteger,
    utcTime,
    utf8String,
} from "./der";

/** Object identifiers used below. */
const OID = {
    ecdsaWithSha256: "1.2.840.10045.4.3.2",
    commonName: "2.5.4.3",
    subjectAltName: "2.5.29.17",
    basicConstraints: "2.5.29.19",
};

/** A certificate and its private key, both PEM. */
export interface LoopbackCertificate {
    /** The certificate: give it to the server, and to the client as the CA to trust. */
    certPem: string;
    /** The PKCS #8 private key: give it to the server only. */
    keyPem: string;
}

/** Makes a fresh P-256 key and a self-signed certificate for 127.0.0.1. */
export function createLoopbackCertificate(now: Date = new Date()): LoopbackCertificate {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const algorithm = sequence(objectIdentifier(OID.ecdsaWithSha256));
    const name = sequence(
        set(
            sequence(objectIdentifier(OID.commonName), utf8String("keywarden sandbox (127.0.0.1)")),
        ),
    );
    const hour = 3600_000;
    const validity = sequence(
        utcTime(new Date(now.getTime() - hour)),
        utcTime(new Date(now.getTime() + 24 * hour)),
    );

    // A positive serial of at most 16 bytes, random as the CA/Browser rules ask for.
    const serial = randomBytes(16);
    serial[0] = (serial[0] & 0x7f) | 0x01;
    const loopback = Buffer.from([127, 0, 0, 1]);
    const extensions = explicit(
        3,
        sequence(
            // CA:TRUE (critical), as `openssl req -x509` writes, so that the certificate can be its
            // own trust anchor in every TLS stack.
            sequence(
                objectIdentifier(OID.basicConstraints),
                boolean(true),
                octetString(sequence(boolean(true))),
            ),
            // subjectAltName iPAddress [7]: TLS clients match an IP literal against this, never
            // against the common name.
            sequence(
                objectIdentifier(OID.subjectAltName),
                octetString(sequence(implicitPrimitive(7, loopback))),
            ),
        ),
    );
    const tbs = sequence(
        explicit(0, unsignedInteger(Buffer.from([2]))), // version 3
        unsignedInteger(serial),
        algorithm,
        name,
        validity,
        name,
        publicKey.export({ type: "spki", format: "der" }),
        extensions,
    );
    // ECDSA signatures from node:crypto are DER-encoded (r, s), the form X.509 carries.
    const certificate = sequence(tbs, algorithm, bitString(sign("sha256", tbs, privateKey)));
    const certPem = toPem("CERTIFICATE", certificate);
    // Parse it back: a malformed encoding fails here, at start-up, with Node's own message.
    new X509Certificate(certPem);
    return { certPem, keyPem: privateKey.export({ type: "pkcs8", format: "pem" }) as string };
}

function toPem(label: string, der: Buffer): string {
    const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
    return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}
