/**
 * Durations as people write them in stack configuration: a whole number and a unit, optionally
 * repeated from the largest unit down ("90d", "12h", "1d12h", "45m", "30s", "2w").
 */

const UNIT_MS: Record<string, number> = {
    w: 7 * 24 * 3600_000,
    d: 24 * 3600_000,
    h: 3600_000,
    m: 60_000,
    s: 1000,
};
const UNIT_ORDER = "wdhms";
const PART = /(\d+)([wdhms])/y;

/**
 * Parses a duration into milliseconds, or returns an error sentence (without the field name,
 * which the caller adds) when the text is not one.
 */
export function parseDuration(text: unknown): number | string {
    if (typeof text !== "string" || text.trim() === "") {
        return 'must be a duration such as "30d", "12h" or "1d12h"';
    }
    const value = text.trim();
    PART.lastIndex = 0;
    let total = 0;
    let lastUnit = -1;
    while (PART.lastIndex < value.length) {
        const start = PART.lastIndex;
        const match = PART.exec(value);
        if (!match || match.index !== start) {
            return (
                `"${value}" is not a duration: use a whole number and a unit (w, d, h, m, s), ` +
                'for example "30d", "12h" or "1d12h"'
            );
        }
        const unit = UNIT_ORDER.indexOf(match[2]);
        if (unit <= lastUnit) {
            return (
                `"${value}" repeats a unit or puts a smaller unit first: ` +
                'write it as, for example, "1d12h"'
            );
        }
        lastUnit = unit;
        total += Number(match[1]) * UNIT_MS[match[2]];
    }
    if (total <= 0) return `"${value}" is zero: give a positive duration`;
    return total;
}

/** Formats milliseconds back into the largest exact units, for messages ("36h" -> "1d12h"). */
export function formatDuration(ms: number): string {
    if (ms <= 0) return "0s";
    let rest = Math.round(ms / 1000) * 1000;
    let text = "";
    for (const unit of "dhms") {
        const size = UNIT_MS[unit];
        if (rest >= size) {
            text += `${Math.floor(rest / size)}${unit}`;
            rest %= size;
        }
    }
    return text || "0s";
}
