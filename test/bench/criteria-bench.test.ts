import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { compileFormula } from '../../middleware/src/domain/criteria/index.js';
import type { RecordData } from '../../middleware/src/domain/records.js';
import { SeededRandom } from '../../middleware/src/demo/prng.js';
import { readModelSource } from '../../middleware/src/org/force-app/index.js';
import {
  ENV,
  SHIPPED_PACKAGE_DIR,
  benchSchema,
  generateDeal,
  readDefaultCriteria,
  runCriteriaBench,
  type NamedFormula,
} from '../../scripts/bench/criteria.js';
import {
  factsOf,
  peerEngine,
  runPeer,
} from '../../scripts/bench/criteria-peer.js';

type Row = Record<string, unknown>;
const rows = (deal: RecordData, relationship: string) =>
  deal[relationship] as unknown as Row[];
const filled = (value: unknown) => value !== null && value !== undefined;

function generateDeals(count: number): RecordData[] {
  const random = new SeededRandom(7);
  return Array.from({ length: count }, () => generateDeal(random));
}

let shipped: NamedFormula[];

beforeAll(async () => {
  shipped = await readDefaultCriteria();
});

describe('criteria bench formulas', () => {
  it('match the shipped records', async () => {
    const source = await readModelSource(SHIPPED_PACKAGE_DIR);
    const stages = new Set(
      source.stages
        .filter((stage) => stage.model === 'Default')
        .map((stage) => stage.developerName),
    );
    const records = source.criteria.filter(
      (criterion) => stages.has(criterion.stage) && criterion.active,
    );
    expect(shipped).toHaveLength(records.length);
    for (const record of records) {
      expect(shipped).toContainEqual([record.developerName, record.formula]);
    }
  });

  it('include the tightened two criteria', () => {
    const formulas = new Map(shipped);
    expect(formulas.get('Default_Qualified_Both_Sides_Confirmed')).toContain(
      'NOT(ISBLANK(Joint_Value__c)), NOT(ISBLANK(Vendor_Confirmed_By__c))',
    );
    expect(formulas.get('Default_Negotiating_Cross_Side_Handoff')).toContain(
      'Opportunity__r.Partner_Account__c',
    );
  });
});

describe('criteria bench deals', () => {
  const deals = generateDeals(3_000);

  it('cover partner-side users of each kind', () => {
    let dealPartner = 0;
    let otherPartner = 0;
    let missing = 0;
    for (const deal of deals) {
      for (const approval of rows(deal, 'Deal_Approvals__r')) {
        const partnerAccount = (approval.Opportunity__r as Row)
          .Partner_Account__c;
        for (const side of ['Owner__r', 'Handoff_Counterpart__r']) {
          const user = approval[side] as Row | null;
          if (user === null) missing++;
          else if (!filled(user.AccountId)) continue;
          else if (user.AccountId === partnerAccount) dealPartner++;
          else if (filled(partnerAccount)) otherPartner++;
        }
      }
    }
    expect(dealPartner).toBeGreaterThan(0);
    expect(otherPartner).toBeGreaterThan(0);
    expect(missing).toBeGreaterThan(0);
  });

  it('cover deals without a partner account', () => {
    const withoutAccount = deals.filter(
      (deal) =>
        deal.Partner_Account__c === null &&
        rows(deal, 'Deal_Approvals__r').length > 0,
    );
    expect(withoutAccount.length).toBeGreaterThan(0);
  });

  it('cover qualifications whole or split', () => {
    const complete = (q: Row) =>
      filled(q.Need__c) &&
      filled(q.Budget__c) &&
      filled(q.Reason_To_Act__c) &&
      filled(q.Joint_Value__c);
    const confirmed = (q: Row) =>
      filled(q.Vendor_Confirmed_By__c) && filled(q.Partner_Confirmed_By__c);
    let whole = 0;
    let split = 0;
    for (const deal of deals) {
      const qualifications = rows(deal, 'Joint_Qualifications__r');
      if (qualifications.some((q) => complete(q) && confirmed(q))) whole++;
      else if (qualifications.some(complete) && qualifications.some(confirmed))
        split++;
    }
    expect(whole).toBeGreaterThan(0);
    expect(split).toBeGreaterThan(0);
  });

  it('agree with the peer deal by deal', async () => {
    const schema = benchSchema();
    const compiled = shipped.map(([criterionName, formula]) =>
      compileFormula(formula, {
        rootObject: 'Opportunity',
        schema,
        criterionName,
      }),
    );
    const engine = peerEngine(shipped);
    for (const [dealIndex, deal] of deals.slice(0, 500).entries()) {
      const peer = await runPeer(engine, shipped.length, [factsOf(deal)]);
      for (const [index, [criterionName]] of shipped.entries()) {
        const ours = compiled[index]!.evaluate(deal, ENV).value === true;
        expect([dealIndex, criterionName, peer[index] === 1]).toEqual([
          dealIndex,
          criterionName,
          ours,
        ]);
      }
    }
  });
});

describe('runCriteriaBench', () => {
  it('sees both outcomes of every criterion', async () => {
    const result = await runCriteriaBench({ deals: 3_000, rounds: 1 });
    expect(result.criteria).toBe(shipped.length);
    for (const [criterionName] of shipped) {
      const met = result.metCounts[criterionName];
      expect([criterionName, met! > 0]).toEqual([criterionName, true]);
      expect([criterionName, met! < result.deals]).toEqual([
        criterionName,
        true,
      ]);
    }
  });

  describe('on a package whose formula changed', () => {
    let packageDir: string;

    beforeAll(async () => {
      const root = await mkdtemp(path.join(os.tmpdir(), 'criteria-bench-'));
      packageDir = path.join(root, 'force-app');
      for (const folder of ['objects', 'customMetadata']) {
        await cp(
          path.join(SHIPPED_PACKAGE_DIR, 'main', 'default', folder),
          path.join(packageDir, 'main', 'default', folder),
          { recursive: true },
        );
      }
      const file = path.join(
        packageDir,
        'main/default/customMetadata/Exit_Criterion.Default_Closed_Won.md-meta.xml',
      );
      const xml = await readFile(file, 'utf8');
      const changed = xml.replace('>IsWon<', '>NOT(IsWon)<');
      expect(changed).not.toBe(xml);
      await writeFile(file, changed);
    });

    afterAll(async () => {
      await rm(path.dirname(packageDir), { recursive: true, force: true });
    });

    it('reads the changed formula', async () => {
      const criteria = new Map(await readDefaultCriteria(packageDir));
      expect(criteria.get('Default_Closed_Won')).toBe('NOT(IsWon)');
    });

    it('rejects a peer written for the old formula', async () => {
      await expect(
        runCriteriaBench({ deals: 10, rounds: 1, packageDir }),
      ).rejects.toThrow(
        'Default_Closed_Won is now NOT(IsWon), but its json-rules-engine encoding computes IsWon',
      );
    });
  });
});
