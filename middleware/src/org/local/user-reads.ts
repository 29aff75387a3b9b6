import type { OrgUser } from '../../domain/cosell.js';
import { toOrgUser } from './row-mappers.js';
import type { Row } from './row-mappers.js';
import { idParam } from './sql.js';
import type { StatementCache } from './sql.js';

/**
 * Users with their permission set names, in one query by the assignee index, and
 * the account of their contact, which decides a partner user's account.
 */
export const USER_SELECT = `SELECT u.*, c."AccountId" AS contact_account_id, (
    SELECT json_group_array(p."Name") FROM "PermissionSetAssignment" a
    JOIN "PermissionSet" p ON p."Id" = a."PermissionSetId"
    WHERE a."AssigneeId" = u."Id"
  ) AS permission_sets
  FROM "User" u LEFT JOIN "Contact" c ON c."Id" = u."ContactId"`;

/** Objects whose records the user read returns, so a write to them changes users. */
export const USER_OBJECTS: ReadonlySet<string> = new Set([
  'User',
  'Contact',
  'PermissionSetAssignment',
  'PermissionSet',
]);

/**
 * Reads users with their permission sets. Users read by Id are kept, because every
 * call reads its acting user, until this connection writes a user object (the
 * gateway calls `forget`) or another connection commits any change, which
 * `PRAGMA data_version` shows.
 */
export class UserReads {
  private readonly cached = new Map<string, Readonly<OrgUser> | null>();
  private dataVersion: unknown = undefined;

  constructor(
    private readonly statements: StatementCache,
    private readonly maxCached = 1000,
  ) {}

  byId(id: string): OrgUser | null {
    const key = idParam(id);
    this.forgetOtherConnectionsChanges();
    const known = this.cached.get(key);
    if (known !== undefined) return known;
    const row = this.statements
      .get(`${USER_SELECT} WHERE u."Id" = ?`)
      .get(key) as Row | undefined;
    const user = row ? freezeUser(toOrgUser(row)) : null;
    if (this.cached.size >= this.maxCached) this.cached.clear();
    if (user) this.cached.set(key, user);
    return user;
  }

  /** Drops the kept users; call it after writing any of `USER_OBJECTS`. */
  forget(): void {
    this.cached.clear();
  }

  private forgetOtherConnectionsChanges(): void {
    const version = this.statements.get('PRAGMA data_version').pluck().get();
    if (version !== this.dataVersion) {
      this.cached.clear();
      this.dataVersion = version;
    }
  }

  /** Returns the users that exist among `ids`, in the order of `ids`. */
  byIds(ids: readonly string[]): OrgUser[] {
    const widened = ids.map(idParam);
    const rows = this.statements
      .get(`${USER_SELECT} WHERE u."Id" IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(widened)) as Row[];
    const byId = new Map(
      rows.map((row) => [String(row['Id']), toOrgUser(row)]),
    );
    return [...new Set(widened)].flatMap((id) => byId.get(id) ?? []);
  }
}

/** Freezes a kept user, so no caller can change what later calls receive. */
function freezeUser(user: OrgUser): Readonly<OrgUser> {
  Object.freeze(user.permissionSets);
  return Object.freeze(user);
}
