import type { OrgGateway } from '../org/gateway.js';
import { buildDemoPeople } from './demo-people.js';

/** The Id of the demo's channel manager, who may read every demo deal. */
export const DEMO_CHANNEL_MANAGER_ID = String(
  buildDemoPeople().channelManager.Id,
);

/**
 * Reports whether the store contains the demo org, by looking up the demo's
 * channel manager: the seed writes that user, and its Id is the same in
 * every seeded store.
 */
export async function hasDemoData(gateway: OrgGateway): Promise<boolean> {
  const users = await gateway.getUsers([DEMO_CHANNEL_MANAGER_ID]);
  return users.length > 0;
}
