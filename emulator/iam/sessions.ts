import { randomAwsId, randomSecret } from '../core/ids.js';

/** A session tag; keys compare case-insensitively, as STS compares them. */
export interface SessionTag {
  key: string;
  value: string;
}

/** What the emulator remembers of credentials it issued with AssumeRole. */
export interface Session {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** The role's account: every call signed with this key acts there. */
  account: string;
  roleArn: string;
  roleName: string;
  /** The role's id when the session was issued; a role deleted (and maybe created again) since no longer matches. */
  roleId: string;
  sessionName: string;
  sourceIdentity: string | undefined;
  /** Tags passed on to sessions this one assumes (role chaining). */
  transitiveTags: SessionTag[];
  /** Epoch ms, on the emulator's clock. */
  issuedAt: number;
  /** Epoch ms, on the emulator's clock: the credentials are refused from this moment on. */
  expiresAt: number;
}

/** Temporary credentials issued since the last reset, by access key ID. */
export class SessionStore {
  private readonly byKey = new Map<string, Session>();

  /** Issues new credentials (`ASIA…` key, secret, token) for a session. */
  issue(session: Omit<Session, 'accessKeyId' | 'secretAccessKey' | 'sessionToken'>): Session {
    const issued: Session = {
      ...session,
      accessKeyId: randomAwsId('ASIA', 20),
      secretAccessKey: randomSecret(40),
      // Real session tokens are long opaque base64; their length is all a client could notice.
      sessionToken: `IQoJb3JpZ2luX2VjE${randomSecret(340)}`,
    };
    this.byKey.set(issued.accessKeyId, issued);
    return issued;
  }

  get(accessKeyId: string): Session | undefined {
    return this.byKey.get(accessKeyId);
  }

  list(): Session[] {
    return [...this.byKey.values()];
  }

  clear(): void {
    this.byKey.clear();
  }
}
