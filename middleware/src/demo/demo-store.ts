import type { OrgGateway } from '../org/gateway.js';
import { buildDemoPeople } from './demo-people.js';

/**
 * Reports whether the store contains the demo org, by looking up the demo's
 * channel manager: the seed writes that user, and its Id is the same in
 * every seeded store.
 */
export async function hasDemoData(gateway: OrgGateway): Promise<boolean> {
  const managerId = String(buildDemoPeople().channelManager.Id);
  const users = await gateway.getUsers([managerId]);
  return users.length > 0;
}
