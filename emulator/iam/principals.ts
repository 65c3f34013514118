import { stableAwsId } from '../core/ids.js';
import { parseUserOrRootArn } from './arns.js';

/** An access key registered with `PUT /_emulator/principals`: the key of an IAM user, or of an account's root. */
export interface Principal {
  accessKeyId: string;
  arn: string;
  account: string;
  /** The user's name; undefined for a root key. */
  userName: string | undefined;
  /** `AIDA…` for a user (stable per ARN); the account id for root, as GetCallerIdentity reports it. */
  userId: string;
}

/** Registered access keys by key ID. */
export class PrincipalRegistry {
  private readonly byKey = new Map<string, Principal>();

  /** Registers (or re-registers) a key; returns undefined when the ARN is neither a user nor a root ARN. */
  put(accessKeyId: string, arn: string): Principal | undefined {
    const name = parseUserOrRootArn(arn);
    if (!name) return undefined;
    const principal: Principal = {
      accessKeyId,
      arn,
      account: name.account,
      userName: name.name,
      userId: name.name === undefined ? name.account : stableAwsId('AIDA', arn),
    };
    this.byKey.set(accessKeyId, principal);
    return principal;
  }

  get(accessKeyId: string): Principal | undefined {
    return this.byKey.get(accessKeyId);
  }

  delete(accessKeyId: string): boolean {
    return this.byKey.delete(accessKeyId);
  }

  list(): Principal[] {
    return [...this.byKey.values()];
  }

  clear(): void {
    this.byKey.clear();
  }
}
