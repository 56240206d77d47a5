/**
 * Who may read a bot's keys. A key secret readable by `allUsers` or `allAuthenticatedUsers`
 * would publish the key, so those members are refused at preview time when the member is a
 * plain string, and at deployment time (before the binding is created) when it is an output.
 */
import * as pulumi from "@pulumi/pulumi";

/** Members that mean "anyone": never granted on a keywarden secret. */
export const PUBLIC_MEMBERS = ["allUsers", "allAuthenticatedUsers"];

const MEMBER = /^(?:(?:user|serviceAccount|group|domain):\S+|principal(?:Set)?:\/\/\S+)$/;

/** Why `member` cannot read a bot's keys (a sentence to follow the field name), or undefined. */
export function checkReader(member: string): string | undefined {
    if (PUBLIC_MEMBERS.includes(member)) {
        return (
            `"${member}" would make the bot's keys public: name the bot's own identity, e.g. ` +
            '"serviceAccount:weather-bot@my-project.iam.gserviceaccount.com"'
        );
    }
    if (!MEMBER.test(member)) {
        return (
            `"${member}" is not an IAM member: write it as "serviceAccount:EMAIL", ` +
            '"user:EMAIL" or "group:EMAIL"'
        );
    }
    return undefined;
}

/**
 * `member`, failing the deployment instead of granting access when its resolved value is not
 * an acceptable reader. `field` names the argument in the error.
 */
export function guardedReader(member: pulumi.Input<string>, field: string): pulumi.Output<string> {
    return pulumi.output(member).apply((value) => {
        const problem = checkReader(value);
        if (problem) throw new Error(`keywarden: ${field} ${problem}`);
        return value;
    });
}
