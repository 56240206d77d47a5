/**
 * The CRC32C used for `data_crc32c` must match the Castagnoli checksum the real service computes:
 * checked against the standard check value and the iSCSI test vectors of RFC 3720, B.4.
 */
import { strict as assert } from "assert";
import { crc32c } from "../../standins/secret-manager/crc32c";

describe("crc32c", () => {
    const vectors: [string, Uint8Array | string, number][] = [
        ["the empty input", new Uint8Array(0), 0],
        ['the check string "123456789"', "123456789", 0xe3069283],
        ["32 bytes of zeros", new Uint8Array(32), 0x8a9136aa],
        ["32 bytes of 0xFF", new Uint8Array(32).fill(0xff), 0x62a8ab43],
        ["bytes 0 to 31", Uint8Array.from({ length: 32 }, (_, i) => i), 0x46dd794e],
        ["bytes 31 down to 0", Uint8Array.from({ length: 32 }, (_, i) => 31 - i), 0x113fdb5c],
    ];
    for (const [what, input, expected] of vectors) {
        it(`gives the standard checksum of ${what}`, () => {
            assert.equal(crc32c(input), expected);
        });
    }

    it("checksums a string as its UTF-8 bytes, as an unsigned 32-bit number", () => {
        const text = "clé-ключ-🔑";
        assert.equal(crc32c(text), crc32c(Buffer.from(text, "utf8")));
        for (const sample of ["a", "sk-live-0000", "\u0000\u00ff"]) {
            const value = crc32c(sample);
            assert.ok(Number.isInteger(value) && value >= 0 && value < 2 ** 32);
        }
    });
});
