import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Connection } from '@jsforce/jsforce-node';
import { SalesforceGateway } from '../../../middleware/src/org/salesforce/salesforce-gateway.js';
import type { SalesforceConnection } from '../../../middleware/src/org/salesforce/salesforce-api.js';
import {
  API_VERSION,
  INTEGRATION_USER,
  seedDeal,
  SILENT,
  startTestOrg,
  TEST_PLAN,
  TEST_SETTINGS,
  type TestOrg,
} from './salesforce-fixture.js';

/**
 * `@salesforce/core` hands an sf command an `@jsforce/jsforce-node` connection;
 * the gateway takes it as it is, with no token source of its own.
 */
describe('SalesforceGateway on a jsforce-node connection', () => {
  let org: TestOrg;
  let gateway: SalesforceGateway;

  beforeAll(async () => {
    org = await startTestOrg({ stageModels: false });
    const connection: SalesforceConnection = new Connection({
      instanceUrl: org.standIn.instanceUrl,
      accessToken: org.standIn.issueToken(INTEGRATION_USER),
      version: API_VERSION,
    });
    gateway = new SalesforceGateway({
      connection,
      settings: TEST_SETTINGS,
      logger: SILENT,
    });
  });

  afterAll(() => org?.close());

  it('reads a deal in one composite call', async () => {
    const { dealId } = seedDeal(org.standIn);
    await gateway.describeSchema();
    org.standIn.resetLog();
    const context = await gateway.readDealContext({
      dealId,
      actingUserId: org.standIn.users[1]!.id,
      plan: TEST_PLAN,
    });
    expect(context.deal?.Id).toBe(dealId);
    expect(org.apiCalls()).toBe(1);
  });

  it('reports an expired session it cannot renew', async () => {
    org.standIn.revokeAllTokens();
    const read = gateway.getRequest('a06000000000001AAA');
    await expect(read).rejects.toMatchObject({
      name: 'OrgAuthenticationError',
      code: 'org_authentication_failed',
    });
    await expect(read).rejects.toThrow(/session is invalid/);
  });
});
