/** A reason the sandbox cannot start that the person running it can fix: printed alone, no stack. */
export class SandboxError extends Error {
  override readonly name = 'SandboxError';
}
