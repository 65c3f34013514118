import { stableAwsId } from '../core/ids.js';
import { parseRoleArn } from './arns.js';

/** A role as `PUT /_emulator/roles` defines it. */
export interface RoleSpec {
  arn: string;
  /** Principals allowed to assume it (see {@link Role.trust}). */
  trust: string[];
  externalId?: string;
  /** 3600–43200 seconds (default 3600), as IAM allows. */
  maxSessionDuration?: number;
}

/** A role the emulator knows. */
export interface Role {
  arn: string;
  account: string;
  name: string;
  /** The role's unique id (`AROA…`): stable while the role exists, new when a deleted role is created again. */
  roleId: string;
  /** Caller ARNs, account roots (`arn:aws:iam::ACCOUNT:root`, meaning any principal of that account), role ARNs (any session of that role) or `*`. */
  trust: string[];
  externalId: string | undefined;
  maxSessionDuration: number;
}

/** Roles by ARN. Roles are global, like IAM: the ARN carries the account. */
export class RoleRegistry {
  private readonly roles = new Map<string, Role>();
  /** How many times each ARN was created, so that a role created again gets a new id, as in IAM. */
  private readonly generations = new Map<string, number>();

  /** Creates a role, or updates it in place (keeping its id, so that its sessions stay valid). */
  put(spec: RoleSpec): Role {
    const name = parseRoleArn(spec.arn);
    if (!name) throw new Error(`not a role ARN: ${spec.arn}`);
    const existing = this.roles.get(spec.arn);
    let roleId = existing?.roleId;
    if (roleId === undefined) {
      const generation = (this.generations.get(spec.arn) ?? 0) + 1;
      this.generations.set(spec.arn, generation);
      roleId = stableAwsId('AROA', `${spec.arn}#${generation}`);
    }
    const role: Role = {
      arn: spec.arn,
      account: name.account,
      name: name.name,
      roleId,
      trust: [...spec.trust],
      externalId: spec.externalId,
      maxSessionDuration: spec.maxSessionDuration ?? 3600,
    };
    this.roles.set(spec.arn, role);
    return role;
  }

  get(arn: string): Role | undefined {
    return this.roles.get(arn);
  }

  delete(arn: string): boolean {
    return this.roles.delete(arn);
  }

  list(): Role[] {
    return [...this.roles.values()];
  }

  clear(): void {
    this.roles.clear();
    this.generations.clear();
  }
}
