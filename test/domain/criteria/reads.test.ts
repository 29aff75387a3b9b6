import { describe, expect, it } from '@jest/globals';
import { compile, deal, run } from './org-schema-fixture.js';

describe('field names', () => {
  it('resolves names in any case to their API spelling', () => {
    const compiled = compile(
      'AND(NOT(ISBLANK(vendor_owner__C)), OWNER.account.NAME = "Acme", iswon)',
    );
    expect(compiled.fieldPaths).toEqual([
      'Vendor_Owner__c',
      'Owner.Account.Name',
      'IsWon',
    ]);
    const result = compiled.evaluate(
      deal({
        Vendor_Owner__c: '005000000000001AAA',
        Owner: { Account: { Name: 'Acme' } },
        IsWon: true,
      }),
      { now: new Date(), timeZone: 'UTC' },
    );
    expect(result.value).toBe(true);
  });

  it('keeps the formula source', () => {
    expect(compile('IsWon /* won */').source).toBe('IsWon /* won */');
  });

  it('lists each path once', () => {
    const compiled = compile('OR(IsWon, IsWon, Amount > 1, Amount < 0)');
    expect(compiled.fieldPaths).toEqual(['IsWon', 'Amount']);
    expect(compiled.childFieldPaths).toEqual({});
    expect(compiled.aggregateRootPaths).toEqual({});
  });
});

describe('aggregate root paths', () => {
  it('lists the Opportunity paths of the amount', () => {
    const compiled = compile(
      'SUM(Deal_Approvals__r, Opportunity__r.Probability) >= 0',
    );
    expect(compiled.aggregateRootPaths).toEqual({
      'SUM(Deal_Approvals__r, Opportunity__r.Probability)': ['Probability'],
    });
  });

  it('lists the Opportunity paths of the condition', () => {
    const compiled = compile(
      'ANY(Deal_Approvals__r, AND(NOT(ISBLANK(Owner__c)), Opportunity__r.Account.Name = "Acme"))',
    );
    expect(compiled.aggregateRootPaths).toEqual({
      'ANY(Deal_Approvals__r, AND(NOT(ISBLANK(Owner__c)), Opportunity__r.Account.Name = "Acme"))':
        ['Account.Name'],
    });
  });

  it('keeps each aggregate apart', () => {
    const compiled = compile(
      'AND(COUNT(Deal_Approvals__r, Opportunity__r.Amount > 1) >= 0, COUNT(Deal_Approvals__r) >= 0)',
    );
    expect(compiled.aggregateRootPaths).toEqual({
      'COUNT(Deal_Approvals__r, Opportunity__r.Amount > 1)': ['Amount'],
      'COUNT(Deal_Approvals__r)': [],
    });
  });

  it('lists no paths of other objects', () => {
    const compiled = compile(
      'ALL(Deal_Approvals__r, NOT(ISBLANK(Owner__r.AccountId)))',
    );
    expect(compiled.aggregateRootPaths).toEqual({
      'ALL(Deal_Approvals__r, NOT(ISBLANK(Owner__r.AccountId)))': [],
    });
  });
});

describe('reads', () => {
  it('reports each value looked at once, in reading order', () => {
    const result = run(
      'AND(Amount > 100, NOT(ISBLANK(Vendor_Owner__c)), Amount < 1000)',
      deal({ Amount: 500, Vendor_Owner__c: '005000000000001AAA' }),
    );
    expect(result.value).toBe(true);
    expect(result.reads).toEqual([
      { path: 'Amount', value: 500 },
      { path: 'Vendor_Owner__c', value: '005000000000001AAA' },
    ]);
  });

  it('reports only what a short-circuit looked at', () => {
    const result = run(
      'OR(ISBLANK(Vendor_Owner__c), ISBLANK(Partner_Owner__c))',
      deal({ Vendor_Owner__c: null, Partner_Owner__c: null }),
    );
    expect(result.reads).toEqual([{ path: 'Vendor_Owner__c', value: null }]);
  });

  it('reports only the branch IF took', () => {
    const result = run(
      'IF(IsWon, Amount > 0, CloseDate < TODAY())',
      deal({ IsWon: false, Amount: 5, CloseDate: '2024-01-01' }),
    );
    expect(result.reads).toEqual([
      { path: 'IsWon', value: false },
      { path: 'CloseDate', value: '2024-01-01' },
    ]);
  });

  it('reports a null checkbox as false and a missing field as null', () => {
    const result = run('AND(NOT(IsWon), ISBLANK(NextStep))', {
      IsWon: null,
    });
    expect(result.reads).toEqual([
      { path: 'IsWon', value: false },
      { path: 'NextStep', value: null },
    ]);
  });

  it('reports a lookup path as one read, blank when the lookup is', () => {
    const result = run('ISBLANK(Owner.AccountId)', deal({ Owner: null }));
    expect(result.reads).toEqual([{ path: 'Owner.AccountId', value: null }]);
  });

  it('starts each evaluation with no reads', () => {
    const compiled = compile('OR(IsWon, Amount > 0)');
    const env = { now: new Date(), timeZone: 'UTC' };
    const first = compiled.evaluate(deal({ IsWon: false, Amount: 1 }), env);
    const second = compiled.evaluate(deal({ IsWon: true, Amount: 1 }), env);
    expect(first.reads.map((read) => read.path)).toEqual(['IsWon', 'Amount']);
    expect(second.reads.map((read) => read.path)).toEqual(['IsWon']);
  });

  it('reports the reads of a formula with more than 31 fields', () => {
    const paths = [
      ...['Id', 'Name', 'NextStep', 'Description', 'AccountId', 'OwnerId'],
      ...['CampaignId', 'IsWon', 'IsClosed', 'Amount', 'Probability'],
      ...['TotalOpportunityQuantity', 'CloseDate', 'CreatedDate'],
      ...['Cosell_Stage_Version__c', 'Partner_Account__c', 'Vendor_Owner__c'],
      ...['Partner_Owner__c', 'Last_Touched_By__c'],
      'Customer_Evaluation_Confirmed_At__c',
      ...['Owner.Id', 'Owner.Name', 'Owner.AccountId', 'Owner.IsActive'],
      ...['Account.Id', 'Account.Name', 'Account.BillingCountry'],
      ...['Account.IsPartner', 'Account.OwnerId', 'Partner_Account__r.Name'],
      ...[
        'Vendor_Owner__r.Name',
        'Partner_Owner__r.Name',
        'Owner.Account.Name',
      ],
    ];
    const tests = paths.map((path) => `OR(ISBLANK(${path}), TRUE)`);
    const result = run(`AND(${tests.join(', ')}, ${tests.join(', ')})`, deal());
    expect(paths.length).toBeGreaterThan(31);
    expect(result.value).toBe(true);
    expect(result.reads.map((read) => read.path)).toEqual(paths);
  });
});
