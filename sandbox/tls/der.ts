/**
 * The few ASN.1 DER encodings an X.509 certificate needs (ITU-T X.690). Node can generate keys
 * and sign, but it has no certificate builder, and the sandbox must not need OpenSSL on the path.
 * Each function returns one complete element: tag, definite length, contents.
 */

/** Encodes one element with the given tag byte. */
export function element(tag: number, ...contents: Buffer[]): Buffer {
    const body = Buffer.concat(contents);
    return Buffer.concat([Buffer.from([tag]), encodeLength(body.length), body]);
}

/** Definite length: short form below 128, else 0x80 + byte count, then the bytes big-endian. */
function encodeLength(length: number): Buffer {
    if (length < 0x80) return Buffer.from([length]);
    const bytes: number[] = [];
    for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
    return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** SEQUENCE of the given elements. */
export function sequence(...items: Buffer[]): Buffer {
    return element(0x30, ...items);
}

/** SET of the given elements (callers pass one, so no sorting is needed). */
export function set(...items: Buffer[]): Buffer {
    return element(0x31, ...items);
}

/**
 * A non-negative INTEGER from its big-endian magnitude. A leading zero byte is added when the
 * top bit is set, since DER integers are two's complement.
 */
export function unsignedInteger(magnitude: Buffer): Buffer {
    let start = 0;
    while (start < magnitude.length - 1 && magnitude[start] === 0) start += 1;
    const trimmed = magnitude.subarray(start);
    const padded = trimmed[0] & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed;
    return element(0x02, padded);
}

/** OBJECT IDENTIFIER from dotted text, e.g. "2.5.4.3". */
export function objectIdentifier(dotted: string): Buffer {
    const arcs = dotted.split(".").map(Number);
    const bytes = [40 * arcs[0] + arcs[1]];
    for (const arc of arcs.slice(2)) {
        // Base 128, most significant group first, the high bit set on all but the last.
        const groups = [arc % 128];
        for (let rest = Math.floor(arc / 128); rest > 0; rest = Math.floor(rest / 128)) {
            groups.unshift(0x80 | (rest % 128));
        }
        bytes.push(...groups);
    }
    return element(0x06, Buffer.from(bytes));
}

/** UTF8String. */
export function utf8String(text: string): Buffer {
    return element(0x0c, Buffer.from(text, "utf8"));
}

/** UTCTime, "YYMMDDHHMMSSZ": the form X.509 requires for dates from 1950 to 2049. */
export function utcTime(date: Date): Buffer {
    const two = (n: number) => String(n).padStart(2, "0");
    const text =
        two(date.getUTCFullYear() % 100) +
        two(date.getUTCMonth() + 1) +
        two(date.getUTCDate()) +
        two(date.getUTCHours()) +
        two(date.getUTCMinutes()) +
        two(date.getUTCSeconds()) +
        "Z";
    return element(0x17, Buffer.from(text, "ascii"));
}

/** BOOLEAN. */
export function boolean(value: boolean): Buffer {
    return element(0x01, Buffer.from([value ? 0xff : 0x00]));
}

/** OCTET STRING. */
export function octetString(bytes: Buffer): Buffer {
    return element(0x04, bytes);
}

/** BIT STRING of whole bytes (no unused bits). */
export function bitString(bytes: Buffer): Buffer {
    return element(0x03, Buffer.from([0]), bytes);
}

/** A constructed, context-specific tag `[n] EXPLICIT` around one element. */
export function explicit(n: number, inner: Buffer): Buffer {
    return element(0xa0 | n, inner);
}

/** A primitive, context-specific tag `[n] IMPLICIT` holding raw bytes. */
export function implicitPrimitive(n: number, bytes: Buffer): Buffer {
    return element(0x80 | n, bytes);
}
