/**
 * Runs the bundled stack program (`index.ts`) offline, under Pulumi's mock runtime, with a
 * stack's configuration, and keeps the recording of every resource it declares. Nothing is
 * sent anywhere: no Pulumi service, no Google Cloud.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REQUIRED_FILES } from "../components/fleet/archive";
import { DEFAULT_FUNCTION_DIR } from "../components/fleet/settings";
import { Recording, runUnderMocks } from "./mock-runtime";
import { readStackFiles, StackFiles } from "./stack-file";

/** Stands for the project number, which only Google Cloud knows (it names service agents). */
export const PROJECT_NUMBER_PLACEHOLDER = "PROJECT_NUMBER";

/**
 * The stack program refused the configuration, or failed while declaring: `pulumi up` would
 * fail the same way. The message is the program's own (exit status 1).
 */
export class PlanFailedError extends Error {
    constructor(readonly programError: Error) {
        super(programError.message);
        this.name = "PlanFailedError";
    }
}

/** A stack program run under the mocks. */
export interface OfflineRun {
    files: StackFiles;
    recording: Recording;
    /** What the reader should know about how the plan differs from `pulumi up`. */
    notes: string[];
}

// Without an extension: index.ts under tsx, index.js once compiled to dist/.
const PROGRAM = path.resolve(__dirname, "..", "index");

/** Runs the stack program of `dir` for `stack`; throws `PlanFailedError` as `pulumi up` would. */
export async function runOffline(dir: string, stack: string): Promise<OfflineRun> {
    const files = readStackFiles(dir, stack);
    const notes: string[] = [];
    const functionKey = `${files.project}:functionDir`;
    const functionDir = path.resolve(dir, files.config[functionKey] ?? DEFAULT_FUNCTION_DIR);
    let standIn: string | undefined;
    if (!REQUIRED_FILES.every((file) => fs.existsSync(path.join(functionDir, file)))) {
        // The build only decides the archive's object name; `pulumi up` needs it, a plan not.
        standIn = makeStandInBuild();
        notes.push(
            `The function is not built in ${path.relative(dir, functionDir) || "."}: ` +
                "planned with a stand-in build. Run `npm run build:function` before `pulumi up`.",
        );
    }
    // `pulumi up` runs the program in the project's directory: relative paths start there.
    const config = { ...files.config, [functionKey]: standIn ?? functionDir };
    try {
        const run = await runUnderMocks(
            () => {
                delete require.cache[require.resolve(PROGRAM)];
                return { ...require(PROGRAM) };
            },
            {
                config,
                secretKeys: files.secretKeys,
                stack,
                projectNumber: PROJECT_NUMBER_PLACEHOLDER,
            },
        );
        if (run.error) throw new PlanFailedError(run.error);
        return { files, recording: run.recording, notes };
    } finally {
        if (standIn !== undefined) fs.rmSync(standIn, { recursive: true, force: true });
    }
}

/** A temporary directory holding the files every build has; removed after the run. */
function makeStandInBuild(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keywarden-plan-fn-"));
    for (const file of REQUIRED_FILES) {
        fs.writeFileSync(path.join(dir, file), file.endsWith(".json") ? "{}\n" : "\n");
    }
    return dir;
}
