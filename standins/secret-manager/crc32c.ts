/**
 * CRC32C (Castagnoli), the checksum Secret Manager uses for `SecretPayload.data_crc32c`.
 *
 * A client that sends `data_crc32c` with AddSecretVersion lets the service reject a payload that
 * was corrupted on the way; the service also returns the checksum with every AccessSecretVersion
 * so the reader can check what it received. The emulator verifies and returns it the same way,
 * and the rotator computes it with this function before it publishes a new key.
 *
 * This module has no imports on purpose: a function bundle can take it without pulling in the
 * rest of the emulator.
 */

/** The Castagnoli polynomial 0x1EDC6F41, bit-reversed for the least-significant-bit-first loop. */
const CASTAGNOLI_REVERSED = 0x82f63b78;

let table: Uint32Array | undefined;

/** Builds the 256-entry lookup table once, on first use, to keep module load free. */
function lookupTable(): Uint32Array {
    if (table) return table;
    table = new Uint32Array(256);
    for (let byte = 0; byte < 256; byte++) {
        let crc = byte;
        for (let bit = 0; bit < 8; bit++) {
            crc = crc & 1 ? (crc >>> 1) ^ CASTAGNOLI_REVERSED : crc >>> 1;
        }
        table[byte] = crc >>> 0;
    }
    return table;
}

/**
 * Returns the CRC32C of `data` as an unsigned 32-bit integer (0 to 4294967295), the value to
 * put in `SecretPayload.dataCrc32c`. Strings are checksummed as their UTF-8 bytes.
 */
export function crc32c(data: Uint8Array | string): number {
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    const lookup = lookupTable();
    let crc = 0xffffffff;
    for (let i = 0; i < bytes.length; i++) {
        crc = lookup[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
    }
    return (crc ^ 0xffffffff) >>> 0;
}
