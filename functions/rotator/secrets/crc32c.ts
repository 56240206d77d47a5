/**
 * CRC32C (Castagnoli), the checksum Secret Manager uses for payload integrity (`data_crc32c`).
 * The rotator also keeps it in a pending attempt to recognise, after a crash, the version it was
 * publishing, without ever storing the key itself.
 */

const TABLE = (() => {
    const table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
        let c = n;
        for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
        table[n] = c >>> 0;
    }
    return table;
})();

/** The CRC32C of the bytes, as an unsigned 32-bit number. */
export function crc32c(data: Uint8Array | string): number {
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    let crc = 0xffffffff;
    for (const byte of bytes) crc = TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
    return (crc ^ 0xffffffff) >>> 0;
}
