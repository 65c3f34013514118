import type { FunctionConfig } from './model.js';

/** The signature of a deployment package: the AWS Signer profile version that signed it and the job that did. */
export interface Signing {
  SigningProfileVersionArn: string;
  SigningJobArn: string;
}

const REGION = '[a-z]{2}(-gov)?-[a-z]+-\\d';
/** Signer's rules: a profile name is 2–64 of `[a-zA-Z0-9_]`, a profile version exactly 10 alphanumerics. */
const PROFILE_VERSION_ARN = new RegExp(
  `^arn:aws:signer:${REGION}:\\d{12}:/signing-profiles/\\w{2,64}/[a-zA-Z0-9]{10}$`,
);
/** Signer's job ids are UUIDs; any 1–64 of `[a-zA-Z0-9-]` is taken. */
const JOB_ARN = new RegExp(`^arn:aws:signer:${REGION}:\\d{12}:/signing-jobs/[a-zA-Z0-9-]{1,64}$`);

/** Checks a profile version ARN and a job ARN; returns the signing, or a message naming the first problem. */
export function readSigning(profileVersionArn: unknown, jobArn: unknown): Signing | string {
  if (typeof profileVersionArn !== 'string' || !PROFILE_VERSION_ARN.test(profileVersionArn)) {
    return 'profileVersionArn must be a signing profile version ARN, arn:aws:signer:REGION:ACCOUNT:/signing-profiles/NAME/VERSIONID (NAME 2–64 of [a-zA-Z0-9_], VERSIONID 10 alphanumerics)';
  }
  if (typeof jobArn !== 'string' || !JOB_ARN.test(jobArn)) {
    return 'jobArn must be a signing job ARN, arn:aws:signer:REGION:ACCOUNT:/signing-jobs/ID';
  }
  return { SigningProfileVersionArn: profileVersionArn, SigningJobArn: jobArn };
}

/** Drops a configuration's signing: new code is unsigned until it is signed again. */
export function unsign(config: FunctionConfig): void {
  delete config.SigningProfileVersionArn;
  delete config.SigningJobArn;
}
