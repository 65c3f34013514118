/** The demo's AWS account as every client of the emulator addresses it (any credentials are accepted). */
export const REGION = 'us-east-1';
export const CREDENTIALS = { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'sandbox' };
