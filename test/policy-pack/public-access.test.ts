/**
 * Rule keywarden-no-public-access: no IAM grant or Cloud Storage ACL of the covered services
 * goes to allUsers or allAuthenticatedUsers, whoever declared it.
 */
import * as assert from "node:assert/strict";
import { noPublicAccessRule } from "../../policy-pack/rules/public-access";
import { runResourceRule, TestResource, UNKNOWN } from "./support";

const rule = noPublicAccessRule;
const BOT = "serviceAccount:mailer-bot@acme-bots-prod.iam.gserviceaccount.com";

/** Grants that must pass: named members only, on every kind of resource the rule reads. */
const PRIVATE: TestResource[] = [
    {
        type: "gcp:secretmanager/secretIamMember:SecretIamMember",
        name: "reader",
        props: { secretId: "k", role: "roles/secretmanager.secretAccessor", member: BOT },
    },
    {
        type: "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
        name: "invoker",
        props: { name: "prod-rotator", role: "roles/run.invoker", member: BOT },
    },
    {
        type: "gcp:pubsub/topicIAMBinding:TopicIAMBinding",
        name: "publishers",
        props: {
            topic: "t",
            role: "roles/pubsub.publisher",
            members: [BOT, "group:ops@acme.example"],
        },
    },
    {
        type: "gcp:storage/bucketIAMPolicy:BucketIAMPolicy",
        name: "bucket-policy",
        props: {
            bucket: "b",
            policyData: JSON.stringify({
                bindings: [{ role: "roles/storage.objectViewer", members: [BOT] }],
            }),
        },
    },
    {
        type: "gcp:storage/bucketACL:BucketACL",
        name: "acl",
        props: {
            bucket: "b",
            roleEntities: ["OWNER:project-owners-123", "READER:user-a@acme.example"],
        },
    },
];

/** Public grants, one per kind of resource, and the exact sentence each must produce. */
const PUBLIC: Array<[TestResource, string]> = [
    [
        {
            type: "gcp:secretmanager/secretIamMember:SecretIamMember",
            name: "leak",
            props: {
                secretId: "k",
                role: "roles/secretmanager.secretAccessor",
                member: "allUsers",
            },
        },
        'gcp:secretmanager/secretIamMember:SecretIamMember "leak" grants ' +
            "roles/secretmanager.secretAccessor to allUsers (anyone on the internet): grant it " +
            "to a named service account, user or group instead",
    ],
    [
        {
            type: "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
            name: "open-invoker",
            props: { name: "prod-rotator", role: "roles/run.invoker", member: "allUsers" },
        },
        'gcp:cloudrunv2/serviceIamMember:ServiceIamMember "open-invoker" grants ' +
            "roles/run.invoker to allUsers (anyone on the internet): grant it to a named service " +
            "account, user or group instead",
    ],
    [
        {
            type: "gcp:cloudfunctionsv2/functionIamBinding:FunctionIamBinding",
            name: "fn-invokers",
            props: {
                cloudFunction: "f",
                role: "roles/cloudfunctions.invoker",
                members: [BOT, "allAuthenticatedUsers"],
            },
        },
        'gcp:cloudfunctionsv2/functionIamBinding:FunctionIamBinding "fn-invokers" grants ' +
            "roles/cloudfunctions.invoker to allAuthenticatedUsers (anyone with a Google " +
            "account): grant it to a named service account, user or group instead",
    ],
    [
        {
            type: "gcp:pubsub/subscriptionIAMPolicy:SubscriptionIAMPolicy",
            name: "sub-policy",
            props: {
                subscription: "s",
                policyData: JSON.stringify({
                    bindings: [{ role: "roles/pubsub.subscriber", members: [BOT, "allUsers"] }],
                }),
            },
        },
        'gcp:pubsub/subscriptionIAMPolicy:SubscriptionIAMPolicy "sub-policy" grants ' +
            "roles/pubsub.subscriber to allUsers (anyone on the internet): grant it to a named " +
            "service account, user or group instead",
    ],
    [
        {
            type: "gcp:storage/bucketACL:BucketACL",
            name: "public-acl",
            props: { bucket: "b", roleEntities: ["READER:allUsers"] },
        },
        'gcp:storage/bucketACL:BucketACL "public-acl" grants READER to allUsers (anyone on the ' +
            "internet): grant it to a named service account, user or group instead",
    ],
    [
        {
            type: "gcp:storage/objectACL:ObjectACL",
            name: "canned",
            props: { bucket: "b", object: "o", predefinedAcl: "publicRead" },
        },
        'gcp:storage/objectACL:ObjectACL "canned" applies the canned ACL publicRead, which opens ' +
            "it to everyone: use uniform bucket-level access and grant roles to named members",
    ],
];

describe("policy rule keywarden-no-public-access", () => {
    it("passes grants to named members on every kind of IAM and ACL resource", async () => {
        for (const resource of PRIVATE) {
            assert.deepEqual(await runResourceRule(rule, resource), [], resource.type);
        }
    });

    for (const [resource, message] of PUBLIC) {
        it(`fails a public grant on ${resource.type.split(":")[2]}`, async () => {
            assert.deepEqual(await runResourceRule(rule, resource), [message]);
        });
    }

    it("reports a known public member even when another member is not known yet", async () => {
        const binding: TestResource = {
            type: "gcp:secretmanager/secretIamBinding:SecretIamBinding",
            name: "mixed",
            props: {
                secretId: "k",
                role: "roles/secretmanager.secretAccessor",
                members: [UNKNOWN, "allAuthenticatedUsers"],
            },
        };
        assert.deepEqual(await runResourceRule(rule, binding), [
            'gcp:secretmanager/secretIamBinding:SecretIamBinding "mixed" grants ' +
                "roles/secretmanager.secretAccessor to allAuthenticatedUsers (anyone with a " +
                "Google account): grant it to a named service account, user or group instead",
        ]);
    });

    it("leaves a member preview does not know yet to the check during pulumi up", async () => {
        const member: TestResource = {
            type: "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
            name: "scheduler-invoker",
            props: { name: "prod-rotator", role: "roles/run.invoker", member: UNKNOWN },
        };
        assert.deepEqual(await runResourceRule(rule, member), []);
    });
});
