/**
 * How often a Cloud Scheduler job runs in a month, from its 5-field cron schedule, for the
 * cost estimate. A month is `HOURS_PER_MONTH` hours, as Google's price lists count it.
 */
import { HOURS_PER_MONTH } from "./prices";

const FIELDS = [
    { name: "minute", min: 0, max: 59 },
    { name: "hour", min: 0, max: 23 },
    { name: "day of month", min: 1, max: 31 },
    { name: "month", min: 1, max: 12 },
    // Sunday may be written 7 as well as 0.
    { name: "day of week", min: 0, max: 7 },
] as const;

/** Days in a month of `HOURS_PER_MONTH` hours (30.42). */
export const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;

/**
 * Runs a month of `schedule`, or undefined when it is not a cron expression this reads
 * (numbers, `*`, ranges, steps and lists; month and weekday names are not read).
 * Restricted days and months are counted as the share of days they allow (a day of the month
 * as one day a month); when both day fields are restricted, cron runs on either, so their
 * shares are united.
 */
export function runsPerMonth(schedule: string): number | undefined {
    const parts = schedule.trim().split(/\s+/);
    if (parts.length !== 5) return undefined;
    const values = parts.map((part, index) => expand(part, FIELDS[index].min, FIELDS[index].max));
    if (values.some((set) => set === undefined)) return undefined;
    const [minutes, hours, days, months, weekdays] = values as Set<number>[];
    const perDay = minutes.size * hours.size;
    const dayRestricted = parts[2] !== "*";
    const weekdayRestricted = parts[4] !== "*";
    // Days 1 to 28 come every month, 29 in 11 months and a leap February, 30 in 11, 31 in 7.
    const weight = (day: number) => (day <= 28 ? 1 : { 29: 11.25, 30: 11, 31: 7 }[day]! / 12);
    const dayShare = Math.min(
        1,
        [...days].reduce((sum, day) => sum + weight(day), 0) / DAYS_PER_MONTH,
    );
    const weekdayShare = weekdays.size / 7;
    let share = 1;
    if (dayRestricted && weekdayRestricted) share = 1 - (1 - dayShare) * (1 - weekdayShare);
    else if (dayRestricted) share = dayShare;
    else if (weekdayRestricted) share = weekdayShare;
    return perDay * DAYS_PER_MONTH * share * (months.size / 12);
}

/** The values one field allows, or undefined when it is not understood. */
function expand(field: string, min: number, max: number): Set<number> | undefined {
    const values = new Set<number>();
    for (const item of field.split(",")) {
        const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(item);
        if (!match) return undefined;
        const step = match[4] === undefined ? 1 : Number(match[4]);
        const from = match[1] === "*" ? min : Number(match[2]);
        let to = match[1] === "*" ? max : match[3] === undefined ? from : Number(match[3]);
        // "5/15" means from 5 to the end, every 15.
        if (match[1] !== "*" && match[3] === undefined && match[4] !== undefined) to = max;
        if (step < 1 || from < min || to > max || from > to) return undefined;
        for (let value = from; value <= to; value += step) {
            values.add(max === 7 ? value % 7 : value);
        }
    }
    return values;
}
