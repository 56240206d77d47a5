/**
 * Running the crash tests side by side under mocha, which runs `it`s one at a time: the tests
 * are planned while the suite is defined, a `before` hook starts them all, and each `it` awaits
 * the result it reports on. Most of a crash test is waiting out leases and grace periods in
 * real time, so running the worlds together costs little more than running the longest one.
 */
import {
    CrashCase,
    CrashReport,
    RecordedProtocol,
    recordProtocol,
    runCrashChain,
} from "./crash-case";
import type { CrashProvider } from "./crash-world";

/**
 * A result that arrives later. It is settled with an Error to pass a failure on: the promise
 * inside never rejects, so no failure counts as unhandled before the `it` reporting it asks.
 */
class Later<T> {
    private resolve!: (value: T | Error) => void;
    private readonly value = new Promise<T | Error>((resolve) => (this.resolve = resolve));

    settle(value: T | Error): void {
        this.resolve(value);
    }

    async get(): Promise<T> {
        const value = await this.value;
        if (value instanceof Error) throw value;
        return value;
    }
}

/** The crash tests of one mocha suite. */
export class CrashSuite {
    private readonly jobs: Array<() => Promise<void>> = [];
    private readonly recordings = new Map<CrashProvider, Later<RecordedProtocol>>();
    private readonly reports = new Map<string, Later<CrashReport>>();
    private running?: Promise<void>;

    /** Plans a run without a crash that records the protocol's effects. */
    record(provider: CrashProvider): void {
        const later = new Later<RecordedProtocol>();
        this.recordings.set(provider, later);
        this.jobs.push(() =>
            recordProtocol(provider).then(
                (recorded) => later.settle(recorded),
                (error: Error) => later.settle(error),
            ),
        );
    }

    /** Plans `cases` to run one after another in one world (see `runCrashChain`). */
    chain(provider: CrashProvider, cases: CrashCase[]): void {
        const results = cases.map((c) => {
            const later = new Later<CrashReport>();
            this.reports.set(keyOf(provider, c), later);
            return later;
        });
        const settle = (i: number, result: CrashReport | Error) => results[i].settle(result);
        this.jobs.push(() => runCrashChain(provider, cases, settle));
    }

    /** Starts every planned job at once. */
    start(): void {
        this.running ??= Promise.all(this.jobs.map((job) => job())).then(() => undefined);
    }

    /** Resolves once every job has ended and stopped its processes and servers. */
    finished(): Promise<void> {
        return this.running ?? Promise.resolve();
    }

    /** The recorded effects; throws what failed the recording. */
    recording(provider: CrashProvider): Promise<RecordedProtocol> {
        return this.find(this.recordings, provider, "no recording was planned for");
    }

    /** The report of one crash test; throws what failed it. */
    report(provider: CrashProvider, test: CrashCase): Promise<CrashReport> {
        return this.find(this.reports, keyOf(provider, test), "no crash test was planned as");
    }

    private find<K, T>(map: Map<K, Later<T>>, key: K, missing: string): Promise<T> {
        const later = map.get(key);
        if (!later) return Promise.reject(new Error(`${missing} ${String(key)}`));
        return later.get();
    }
}

function keyOf(provider: CrashProvider, test: CrashCase): string {
    return `${provider} ${test.phase} ${test.at} ${test.thenAt ?? "-"}`;
}
