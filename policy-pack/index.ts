/**
 * The keywarden policy pack. Run it on any stack that uses keywarden (or should not expose
 * secrets publicly) with `pulumi preview --policy-pack <path to this folder>`.
 *
 * Constructing the pack starts the analyzer the Pulumi CLI talks to, so this file is only ever
 * run by the CLI; tests import the rules instead.
 */
import { PolicyPack } from "@pulumi/policy";
import { KEYWARDEN_POLICIES } from "./policies";

new PolicyPack("keywarden", {
    description:
        "keywarden's guarantees: valid rotation policies on managed keys, no public " +
        "readers or invokers, rotation within the team's limits, uptime checks on every bot " +
        "with a health URL.",
    enforcementLevel: "mandatory",
    policies: [...KEYWARDEN_POLICIES],
});
