/**
 * Output values the mock runtime gives each resource, shared with the offline plan: see
 * `plan/mock-outputs.ts`.
 */
export { mockOutputs, otherStacks, PROJECT_NUMBER } from "../../plan/mock-outputs";
