import {
  cpSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  afterAll,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
} from '@jest/globals';
import { MockTestOrgData, TestContext } from '@salesforce/core/testSetup';
import { stubProgress, useCommandHooks } from '../command-fixture.js';
import CriteriaImpactCommand from '../../../middleware/src/commands/cosell/criteria/impact.js';
import DealExplain from '../../../middleware/src/commands/cosell/deal/explain.js';
import PipelineEvaluate from '../../../middleware/src/commands/cosell/pipeline/evaluate.js';
import ReportExport from '../../../middleware/src/commands/cosell/report/export.js';
import {
  API_VERSION,
  INTEGRATION_USER,
  PACKAGE_DIR,
  seedDeal,
  startTestOrg,
} from '../../org/salesforce/salesforce-fixture.js';
import type { TestOrg } from '../../org/salesforce/salesforce-fixture.js';

/**
 * The commands with --target-org, through the Salesforce gateway on the
 * connection @salesforce/core builds for a stubbed org authorization that
 * points at the loopback stand-in.
 */
describe('cosell commands with --target-org', () => {
  const $$ = new TestContext();
  let org: TestOrg;
  let dir: string;
  let saved: { HOME?: string; TMPDIR?: string };
  let validatingDealId: string;
  let stalledDealId: string;
  const testOrg = new MockTestOrgData();
  let target: string[];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cosell-org-cmd-'));
    saved = { HOME: process.env['HOME'], TMPDIR: process.env['TMPDIR'] };
    process.env['HOME'] = dir;
    process.env['TMPDIR'] = dir;
    org = await startTestOrg();
    const vendor = org.standIn.records.query(
      `SELECT Id FROM User WHERE Username = 'seller@stand-in.example'`,
    )[0];
    // Validating with a customer step and no confirmation: one exit
    // criterion met, one unmet. Its move from Jointly_Qualified is recorded.
    validatingDealId = seedDeal(org.standIn, {
      Vendor_Owner__c: vendor?.['Id'],
      Cosell_Stage_Entered_At__c: new Date().toISOString(),
    }).dealId;
    org.standIn.records.insert('Stage_Transition__c', {
      Opportunity__c: validatingDealId,
      From_Stage__c: 'Jointly_Qualified',
      To_Stage__c: 'Validating',
      Requested_By__c: vendor?.['Id'],
      Confirmed_By__c: vendor?.['Id'],
      Transitioned_At__c: new Date().toISOString(),
      Evidence_Snapshot__c: '[]',
      One_Sided__c: false,
      Key__c: `test:${validatingDealId}:3`,
      Version__c: 3,
    });
    // Entered Validating (30 stall days) in 2020: stalled.
    stalledDealId = seedDeal(org.standIn, {
      Name: 'Long wait',
      Cosell_Stage_Entered_At__c: '2020-01-01T00:00:00.000Z',
    }).dealId;
    testOrg.instanceUrl = org.standIn.instanceUrl;
    testOrg.loginUrl = org.standIn.loginUrl;
    testOrg.accessToken = org.standIn.issueToken(INTEGRATION_USER);
    target = ['--target-org', testOrg.username, '--api-version', API_VERSION];
  });

  afterAll(async () => {
    await org.close();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  useCommandHooks($$);
  beforeEach(async () => {
    await $$.stubAuths(testOrg);
    // TestContext fakes every Connection request; these tests send them to
    // the stand-in over loopback instead.
    $$.SANDBOXES.CONNECTION.restore();
    stubProgress($$);
  });

  it('explains a deal from the org', async () => {
    const result = await DealExplain.run(
      [...target, '--deal-id', validatingDealId],
      process.cwd(),
    );

    expect(result.dealId).toBe(validatingDealId);
    expect(result.stage?.value).toBe('Validating');
    const byName = new Map(result.criteria.map((c) => [c.name, c.met]));
    expect(byName.get('Default_Validating_Customer_Step')).toBe(true);
    expect(byName.get('Default_Validating_Customer_Confirmed')).toBe(false);
    expect(result.transitions.map((t) => t.fromStage)).toEqual([
      'Jointly_Qualified',
    ]);
  });

  it('evaluates the pipeline of the org', async () => {
    const result = await PipelineEvaluate.run(target, process.cwd());

    expect(result.evaluated).toBe(2);
    expect(result.stalls.map((deal) => deal.dealId)).toEqual([stalledDealId]);
    // The recorded move came from Jointly_Qualified, whose exit criteria
    // read a joint qualification this deal does not have.
    const regression = result.regressions.find(
      (deal) => deal.dealId === validatingDealId,
    );
    expect(regression?.enteredFrom).toBe('Jointly_Qualified');
    expect(regression?.failing.length).toBeGreaterThan(0);
  });

  it('evaluates the default org', async () => {
    await $$.stubConfig({ 'target-org': testOrg.username });

    const result = await PipelineEvaluate.run(
      ['--api-version', API_VERSION],
      process.cwd(),
    );

    expect(result.evaluated).toBe(2);
  });

  it('exports the org pipeline and history', async () => {
    const pipeline = await ReportExport.run(
      [
        ...target,
        '--report',
        'pipeline',
        '--format',
        'json',
        '--output-file',
        path.join(dir, 'pipeline.json'),
      ],
      process.cwd(),
    );
    const history = await ReportExport.run(
      [
        ...target,
        '--report',
        'stage-history',
        '--format',
        'csv',
        '--output-file',
        path.join(dir, 'history.csv'),
      ],
      process.cwd(),
    );

    const rows = JSON.parse(readFileSync(pipeline.outputFile, 'utf8')) as Array<
      Record<string, unknown>
    >;
    expect(rows.map((row) => row['dealId']).sort()).toEqual(
      [validatingDealId, stalledDealId].sort(),
    );
    expect(history.rows).toBe(1);
    expect(readFileSync(history.outputFile, 'utf8')).toContain(
      validatingDealId,
    );
  });

  it('compares folder criteria with the org records', async () => {
    const changed = path.join(dir, 'changed');
    cpSync(PACKAGE_DIR, changed, { recursive: true });
    const file = path.join(
      changed,
      'main/default/customMetadata/Exit_Criterion.Default_Validating_Customer_Confirmed.md-meta.xml',
    );
    const xml = readFileSync(file, 'utf8');
    writeFileSync(
      file,
      xml.replace(
        '<value xsi:type="xsd:boolean">true</value>',
        '<value xsi:type="xsd:boolean">false</value>',
      ),
    );

    const result = await CriteriaImpactCommand.run(
      [...target, '--source-dir', changed],
      process.cwd(),
    );

    expect(result.baseline.kind).toBe('org');
    expect(result.evaluated).toBe(2);
    expect(result.unmetToMet).toBe(2);
    expect(result.changed.map((deal) => deal.dealId).sort()).toEqual(
      [validatingDealId, stalledDealId].sort(),
    );
  });
});
