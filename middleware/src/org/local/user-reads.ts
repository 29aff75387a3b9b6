import type { OrgUser } from '../../domain/cosell.js';
import { toOrgUser } from './row-mappers.js';
import type { Row } from './row-mappers.js';
import { idParam } from './sql.js';
import type { StatementCache } from './sql.js';

/** Users with their permission set names, in one query by the assignee index. */
export const USER_SELECT = `SELECT u.*, (
    SELECT json_group_array(p."Name") FROM "PermissionSetAssignment" a
    JOIN "PermissionSet" p ON p."Id" = a."PermissionSetId"
    WHERE a."AssigneeId" = u."Id"
  ) AS permission_sets
  FROM "User" u`;

export class UserReads {
  constructor(private readonly statements: StatementCache) {}

  byId(id: string): OrgUser | null {
    const row = this.statements
      .get(`${USER_SELECT} WHERE u."Id" = ?`)
      .get(idParam(id)) as Row | undefined;
    return row ? toOrgUser(row) : null;
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
