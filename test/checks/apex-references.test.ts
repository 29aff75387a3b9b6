import { beforeAll, describe, expect, test } from '@jest/globals';
import { readForceAppSchema } from '../../middleware/src/org/force-app/index.js';
import {
  apexReferences,
  auraEnabledMethods,
  blankApex,
} from '../../scripts/checks/apex-references.js';
import { SchemaLookup } from '../../scripts/checks/schema-lookup.js';
import { FIXTURE_DIR } from './fixture-package.js';

let schema: SchemaLookup;

beforeAll(async () => {
  schema = new SchemaLookup(await readForceAppSchema(FIXTURE_DIR));
});

function names(source: string): string[] {
  return apexReferences('Test.cls', source, schema).map((reference) => {
    switch (reference.kind) {
      case 'object':
        return `object ${reference.object}`;
      case 'field':
        return `field ${reference.object}.${reference.path}`;
      case 'child-relationship':
        return `child ${reference.object}.${reference.name}`;
      case 'custom-name':
        return `name ${reference.name}`;
      case 'custom-permission':
        return `permission ${reference.name}`;
      default:
        return reference.kind;
    }
  });
}

describe('apexReferences', () => {
  test('comments and strings are skipped', () => {
    expect(
      names("// Foo__c\n/* Bar__c\n Baz__c */\nString text = 'Qux__c';\n"),
    ).toEqual([]);
  });

  test('unparsed SOQL keeps its object', () => {
    expect(
      names(
        'List<Object> rows = [SELECT Id FROM Close_Plan_Stp__c LIMIT :max];',
      ),
    ).toEqual(['object Close_Plan_Stp__c', 'name Close_Plan_Stp__c']);
  });

  test('variable named like an object is not a token', () => {
    expect(names('String name = opportunity.Name;')).toEqual([]);
  });

  test('field token forms', () => {
    expect(
      names(
        'Object a = Schema.SObjectType.Opportunity.fields.Cosell_Model__c;\n' +
          'Object b = Opportunity.StageName;\n' +
          'Object c = Exit_Criterion__mdt.getAll();',
      ),
    ).toEqual([
      'object Opportunity',
      'field Opportunity.Cosell_Model__c',
      'object Opportunity',
      'field Opportunity.StageName',
      'object Exit_Criterion__mdt',
    ]);
  });

  test('constructor fields and lone custom names', () => {
    expect(
      names(
        "Schema.Close_Plan_Step__c step = new Schema.Close_Plan_Step__c(Owner_Side__c = 'Customer', Status__c = choose(a, b));\n" +
          'step.Due_Date__c = null;',
      ),
    ).toEqual([
      'field Close_Plan_Step__c.Owner_Side__c',
      'field Close_Plan_Step__c.Status__c',
      'object Close_Plan_Step__c',
      'object Close_Plan_Step__c',
      'name Due_Date__c',
    ]);
  });

  test('permission constant and literal', () => {
    expect(
      names(
        "static final String BYPASS_PERMISSION = 'Cosell_Bypass';\n" +
          "Boolean ok = FeatureManagement.checkPermission('Cosell_Integration');",
      ),
    ).toEqual(['permission Cosell_Integration', 'permission Cosell_Bypass']);
  });
});

describe('blankApex', () => {
  test('keeps offsets and line breaks', () => {
    const source = "a = 'x'; // y\n/* z\n */ b";
    const { code, withStrings } = blankApex(source);

    expect(code).toHaveLength(source.length);
    expect(code).toBe("a = ' ';     \n    \n    b");
    expect(withStrings).toBe("a = 'x';     \n    \n    b");
  });
});

describe('auraEnabledMethods', () => {
  test('lists static methods only', () => {
    const source = [
      'public with sharing class Sample {',
      '    @AuraEnabled(cacheable=true)',
      '    public static Object getDeal(Id dealId) { return null; }',
      '    @AuraEnabled',
      '    public String label { get; set; }',
      '    @AuraEnabled',
      '    public Object instanceMethod() { return null; }',
      '    @AuraEnabled public static void saveDeal(Map<String, Object> deal) {}',
      '    public static Object notExposed() { return null; }',
      '}',
    ].join('\n');

    expect([...auraEnabledMethods(source)]).toEqual(['getdeal', 'savedeal']);
  });
});
