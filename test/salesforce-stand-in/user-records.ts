import { insertRecord } from './dml.js';
import type { StandInState } from './state.js';
import type { StandInUser, StandInUserConfig } from './users.js';

/**
 * Registers a user: its User record (with the fields the schema has), a
 * PermissionSet record per new permission set name and its assignments.
 */
export function addUser(
  state: StandInState,
  config: StandInUserConfig,
): StandInUser {
  if (state.auth.userByName(config.username)) {
    throw new Error(
      `A stand-in user named ${config.username} exists already; usernames are unique`,
    );
  }
  const userObject = state.schema.object('User');
  const provisional: StandInUser = {
    id: '',
    username: config.username,
    name: config.name ?? config.username,
    customPermissions: new Set(config.customPermissions ?? []),
    approved: config.approved ?? true,
  };
  const ctx = { state, user: state.users[0] ?? provisional, trusted: true };
  if (userObject) {
    const body = onlyKnownFields(state, 'User', {
      Name: provisional.name,
      Username: config.username,
      Email: config.email ?? config.username,
      IsActive: config.isActive ?? true,
      UserType: config.userType ?? 'Standard',
      AccountId: config.accountId ?? null,
      ContactId: config.contactId ?? null,
    });
    provisional.id = insertRecord(ctx, userObject, body);
  } else {
    provisional.id = state.ids.generate('005');
  }
  state.users.push(provisional);
  for (const name of config.permissionSets ?? []) {
    assignPermissionSet(state, provisional, name);
  }
  return provisional;
}

function assignPermissionSet(
  state: StandInState,
  user: StandInUser,
  name: string,
): void {
  const permissionSet = state.schema.object('PermissionSet');
  const assignment = state.schema.object('PermissionSetAssignment');
  if (!permissionSet || !assignment) return;
  const ctx = { state, user, trusted: true };
  const existing = state.store
    .all(permissionSet.name)
    .find((record) => record.values.Name === name);
  const permissionSetId =
    (existing?.values.Id as string | undefined) ??
    insertRecord(
      ctx,
      permissionSet,
      onlyKnownFields(state, 'PermissionSet', { Name: name, Label: name }),
    );
  insertRecord(
    ctx,
    assignment,
    onlyKnownFields(state, 'PermissionSetAssignment', {
      AssigneeId: user.id,
      PermissionSetId: permissionSetId,
    }),
  );
}

function onlyKnownFields(
  state: StandInState,
  objectName: string,
  values: Record<string, unknown>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(values).filter(([name]) =>
      state.schema.field(objectName, name),
    ),
  );
}
