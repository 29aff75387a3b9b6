import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import {
  childNode,
  childNodes,
  childText,
  readXmlRoot,
  type XmlNode,
} from '../../../middleware/src/org/force-app/xml-file.js';
import { readModelSource } from '../../../middleware/src/org/force-app/index.js';

const ROOT = 'force-app/main/default';
const PERMISSION_SETS = [
  'Cosell_Seller',
  'Cosell_Partner_Seller',
  'Cosell_Channel_Manager',
  'Cosell_Admin',
  'Cosell_Integration',
];

async function listFiles(folder: string, suffix: string): Promise<string[]> {
  const files = await readdir(folder, { recursive: true });
  return files
    .filter((file) => file.endsWith(suffix))
    .map((file) => join(folder, file));
}

const permissionSets = new Map<string, XmlNode>();

beforeAll(async () => {
  for (const name of PERMISSION_SETS) {
    permissionSets.set(
      name,
      await readXmlRoot(
        `${ROOT}/permissionsets/${name}.permissionset-meta.xml`,
        'PermissionSet',
      ),
    );
  }
});

function fieldAccess(set: string, field: string) {
  const entry = childNodes(
    permissionSets.get(set) ?? {},
    'fieldPermissions',
  ).find((node) => childText(node, 'field') === field);
  return (
    entry && {
      read: childText(entry, 'readable'),
      edit: childText(entry, 'editable'),
    }
  );
}

/** Lists the `nameField` value of every `element` entry, per permission set. */
function grantsPerSet(element: string, nameField: string) {
  return Object.fromEntries(
    PERMISSION_SETS.map((set) => [
      set,
      childNodes(permissionSets.get(set) ?? {}, element).map((node) =>
        childText(node, nameField),
      ),
    ]),
  );
}

function objectAccess(set: string, object: string) {
  const entry = childNodes(
    permissionSets.get(set) ?? {},
    'objectPermissions',
  ).find((node) => childText(node, 'object') === object);
  return (
    entry &&
    Object.fromEntries(Object.entries(entry).map(([k, v]) => [k, String(v)]))
  );
}

describe('force-app metadata', () => {
  test('every custom field has description and help text', async () => {
    const missing: string[] = [];
    for (const file of await listFiles(`${ROOT}/objects`, '.field-meta.xml')) {
      const field = await readXmlRoot(file, 'CustomField');
      if (!childText(field, 'description'))
        missing.push(`${file}: description`);
      if (!childText(field, 'inlineHelpText'))
        missing.push(`${file}: inlineHelpText`);
    }
    expect(missing).toEqual([]);
  });

  test('sharing models', async () => {
    const sharing: Record<string, string | undefined> = {};
    for (const file of await listFiles(
      `${ROOT}/objects`,
      '__c.object-meta.xml',
    )) {
      const object = await readXmlRoot(file, 'CustomObject');
      sharing[file.split('/').pop() ?? file] = childText(
        object,
        'sharingModel',
      );
    }
    expect(sharing).toEqual({
      'Close_Plan_Step__c.object-meta.xml': 'ControlledByParent',
      'Deal_Approval__c.object-meta.xml': 'ControlledByParent',
      'Deal_Partner__c.object-meta.xml': 'Private',
      'Deal_Registration__c.object-meta.xml': 'Private',
      'Idempotency_Record__c.object-meta.xml': 'Private',
      'Joint_Qualification__c.object-meta.xml': 'ControlledByParent',
      'Stage_Request__c.object-meta.xml': 'ControlledByParent',
      'Stage_Transition__c.object-meta.xml': 'ControlledByParent',
    });
  });

  test('stage change guard checks permission and version', async () => {
    const rule = await readXmlRoot(
      `${ROOT}/objects/Opportunity/validationRules/Cosell_Stage_Change_Guard.validationRule-meta.xml`,
      'ValidationRule',
    );
    const formula = childText(rule, 'errorConditionFormula') ?? '';
    expect(childText(rule, 'active')).toBe('true');
    expect(formula).toContain('ISCHANGED(Cosell_Stage__c)');
    expect(formula).toContain('NOT($Permission.Cosell_Integration)');
    expect(formula.replace(/\s+/g, ' ')).toContain(
      'BLANKVALUE(Cosell_Stage_Version__c, 0) <> BLANKVALUE(PRIORVALUE(Cosell_Stage_Version__c), 0) + 1',
    );
    expect(childText(rule, 'errorMessage')).toMatch(/Co-sell stage path/);
  });

  test('qualification rules guard confirmations', async () => {
    const folder = `${ROOT}/objects/Joint_Qualification__c`;
    const fields = new Set(
      (await readdir(`${folder}/fields`)).map((file) => file.split('.')[0]),
    );
    const formulas: Record<string, string> = {};
    for (const name of [
      'Vendor_Confirmation_Is_Running_User',
      'Partner_Confirmation_Is_Running_User',
      'Content_Change_Clears_Confirmations',
      'Confirmations_By_Two_Users',
    ]) {
      const rule = await readXmlRoot(
        `${folder}/validationRules/${name}.validationRule-meta.xml`,
        'ValidationRule',
      );
      const formula = childText(rule, 'errorConditionFormula') ?? '';
      expect([name, childText(rule, 'active')]).toEqual([name, 'true']);
      expect(formula).toContain('NOT($Permission.Cosell_Integration)');
      for (const field of formula.match(/\w+__c/g) ?? []) {
        expect([name, field, fields.has(field)]).toEqual([name, field, true]);
      }
      formulas[name] = formula.replace(/\s+/g, ' ');
    }
    for (const side of ['Vendor', 'Partner']) {
      const formula = formulas[`${side}_Confirmation_Is_Running_User`];
      expect(formula).toContain(`${side}_Confirmed_By__c <> $User.Id`);
      expect(formula).toContain(`ISCHANGED(${side}_Confirmed_By__c)`);
    }
    expect(formulas['Confirmations_By_Two_Users']).toContain(
      'Vendor_Confirmed_By__c = Partner_Confirmed_By__c',
    );
    const content = formulas['Content_Change_Clears_Confirmations'];
    expect(content).toContain('NOT(ISNEW())');
    for (const field of [
      'Need__c',
      'Budget__c',
      'Reason_To_Act__c',
      'Joint_Value__c',
    ]) {
      expect(content).toContain(`ISCHANGED(${field})`);
    }
    for (const field of [
      'Vendor_Confirmed_By__c',
      'Vendor_Confirmed_At__c',
      'Partner_Confirmed_By__c',
      'Partner_Confirmed_At__c',
    ]) {
      expect(content).toContain(`NOT(ISBLANK(${field}))`);
    }
  });

  test('only integration writes stage fields and transitions', () => {
    for (const set of PERMISSION_SETS) {
      const expected = set === 'Cosell_Integration' ? 'true' : 'false';
      for (const field of [
        'Opportunity.Cosell_Stage__c',
        'Opportunity.Cosell_Stage_Version__c',
      ]) {
        expect([set, field, fieldAccess(set, field)?.edit]).toEqual([
          set,
          field,
          expected,
        ]);
      }
      const transitions = objectAccess(set, 'Stage_Transition__c');
      expect([set, transitions?.['allowCreate']]).toEqual([set, expected]);
      expect([set, transitions?.['allowEdit']]).toEqual([set, 'false']);
      expect([
        set,
        objectAccess(set, 'Stage_Request__c')?.['allowEdit'],
      ]).toEqual([set, expected]);
    }
  });

  test('partner seller permissions fit a partner licence', () => {
    for (const node of childNodes(
      permissionSets.get('Cosell_Partner_Seller') ?? {},
      'objectPermissions',
    )) {
      const object = childText(node, 'object');
      expect([object, childText(node, 'allowDelete')]).toEqual([
        object,
        'false',
      ]);
      expect([object, childText(node, 'viewAllRecords')]).toEqual([
        object,
        'false',
      ]);
      expect([object, childText(node, 'modifyAllRecords')]).toEqual([
        object,
        'false',
      ]);
    }
    expect(
      childText(permissionSets.get('Cosell_Partner_Seller') ?? {}, 'license'),
    ).toBeUndefined();
    expect(
      fieldAccess(
        'Cosell_Partner_Seller',
        'Joint_Qualification__c.Vendor_Confirmed_By__c',
      )?.edit,
    ).toBe('false');
    expect(
      fieldAccess(
        'Cosell_Partner_Seller',
        'Joint_Qualification__c.Partner_Confirmed_By__c',
      )?.edit,
    ).toBe('true');
    expect(
      fieldAccess(
        'Cosell_Seller',
        'Joint_Qualification__c.Partner_Confirmed_By__c',
      )?.edit,
    ).toBe('false');
  });

  test.each([
    'Stage_Request__c.Evaluation_Snapshot__c',
    'Stage_Transition__c.Evidence_Snapshot__c',
    'Stage_Transition__c.Attribution_Snapshot__c',
  ])('partner seller cannot read %s', (field) => {
    // Snapshots hold vendor-only fields and every partner's split, which
    // partner users get only through the middleware's redaction.
    expect(fieldAccess('Cosell_Partner_Seller', field)?.read).toBeUndefined();
    expect(fieldAccess('Cosell_Seller', field)?.read).toBe('true');
  });

  test('partner seller only reads registrations', () => {
    // A partner submits through DealRegistrationController and the middleware,
    // which checks for conflicts, so a direct insert must be impossible.
    const registrations = objectAccess(
      'Cosell_Partner_Seller',
      'Deal_Registration__c',
    );
    expect(registrations?.['allowRead']).toBe('true');
    expect(registrations?.['allowCreate']).toBe('false');
    expect(registrations?.['allowEdit']).toBe('false');
    const editable = childNodes(
      permissionSets.get('Cosell_Partner_Seller') ?? {},
      'fieldPermissions',
    )
      .filter((node) => childText(node, 'editable') === 'true')
      .map((node) => childText(node, 'field') ?? '')
      .filter((field) => field.startsWith('Deal_Registration__c.'));
    expect(editable).toEqual([]);
    // cosellRegistrationForm reads the Product_Line__c picklist.
    expect(
      fieldAccess(
        'Cosell_Partner_Seller',
        'Deal_Registration__c.Product_Line__c',
      )?.read,
    ).toBe('true');
  });

  test('custom permissions go to their sets only', () => {
    const grants = grantsPerSet('customPermissions', 'name');
    expect(grants).toEqual({
      Cosell_Seller: [],
      Cosell_Partner_Seller: [],
      Cosell_Channel_Manager: ['Cosell_Channel_Manager'],
      Cosell_Admin: [],
      Cosell_Integration: ['Cosell_Integration'],
    });
  });

  test('user permissions per set', () => {
    const grants = grantsPerSet('userPermissions', 'name');
    // The middleware reads the acting user's PermissionSetAssignments, which
    // Salesforce shows only to users with View Setup and Configuration or a
    // user-management permission.
    expect(grants).toEqual({
      Cosell_Seller: [],
      Cosell_Partner_Seller: [],
      Cosell_Channel_Manager: [],
      Cosell_Admin: [],
      Cosell_Integration: ['ApiEnabled', 'ViewSetup'],
    });
  });

  test('callers get the middleware principal', async () => {
    const principals = grantsPerSet(
      'externalCredentialPrincipalAccesses',
      'externalCredentialPrincipal',
    );
    const access = ['Cosell_Middleware-Middleware'];
    expect(principals).toEqual({
      Cosell_Seller: access,
      Cosell_Partner_Seller: access,
      Cosell_Channel_Manager: access,
      Cosell_Admin: access,
      Cosell_Integration: [],
    });
  });

  test('credential adds the bearer header', async () => {
    const credential = await readXmlRoot(
      `${ROOT}/externalCredentials/Cosell_Middleware.externalCredential-meta.xml`,
      'ExternalCredential',
    );
    const parameters = childNodes(credential, 'externalCredentialParameters');
    const principal = parameters.find(
      (p) => childText(p, 'parameterType') === 'NamedPrincipal',
    );
    const header = parameters.find(
      (p) => childText(p, 'parameterType') === 'AuthHeader',
    );
    expect(childText(principal ?? {}, 'parameterName')).toBe('Middleware');
    expect(childText(header ?? {}, 'parameterName')).toBe('Authorization');
    expect(childText(header ?? {}, 'parameterValue')).toBe(
      "{!'Bearer ' & $Credential.Cosell_Middleware.Token}",
    );

    const named = await readXmlRoot(
      `${ROOT}/namedCredentials/Cosell_Middleware.namedCredential-meta.xml`,
      'NamedCredential',
    );
    const link = childNodes(named, 'namedCredentialParameters').find(
      (p) => childText(p, 'parameterType') === 'Authentication',
    );
    expect(childText(link ?? {}, 'externalCredential')).toBe(
      'Cosell_Middleware',
    );
  });
});

describe('AWS ACE model against the ACE field rules', () => {
  const fixtures = 'test/fixtures/aws-ace';
  let standardValues: Record<string, string[]>;
  let aceFieldNames: Set<string>;

  beforeAll(async () => {
    const values = parse(
      await readFile(`${fixtures}/Opportunity_-_StandardValues.csv`),
      {
        bom: true,
      },
    ) as string[][];
    const header = (values[0] ?? []).map((name) => name.trim());
    standardValues = Object.fromEntries(
      header.map((name, column) => [
        name,
        values
          .slice(1)
          .map((row) => row[column] ?? '')
          .filter((value) => value.trim() !== ''),
      ]),
    );
    const fields = parse(await readFile(`${fixtures}/Opportunity-Fields.csv`), {
      bom: true,
      columns: true,
    }) as Record<string, string>[];
    aceFieldNames = new Set(
      fields.map((row) => (row['Field Name - APN CRM JSON Name'] ?? '').trim()),
    );
  });

  test.each([
    ['ACE_Use_Case__c', 'useCase'],
    ['ACE_Delivery_Model__c', 'deliveryModel'],
    ['ACE_Sales_Activities__c', 'salesActivities'],
    ['ACE_Primary_Need_From_AWS__c', 'partnerPrimaryNeedFromAws'],
    ['ACE_Closed_Lost_Reason__c', 'closedLostReason'],
  ])('%s has the ACE %s values', async (field, column) => {
    const xml = await readXmlRoot(
      `${ROOT}/objects/Opportunity/fields/${field}.field-meta.xml`,
      'CustomField',
    );
    const definition =
      childNode(childNode(xml, 'valueSet') ?? {}, 'valueSetDefinition') ?? {};
    const values = childNodes(definition, 'value').map((v) =>
      childText(v, 'fullName'),
    );
    expect(values).toEqual(standardValues[column]);
    expect(childText(childNode(xml, 'valueSet') ?? {}, 'restricted')).toBe(
      'true',
    );
  });

  test('every ACE criterion names the ACE rule it mirrors', async () => {
    const source = await readModelSource('force-app');
    const aceCriteria = source.criteria.filter((c) =>
      c.developerName.startsWith('AWS_ACE_'),
    );
    expect(aceCriteria.length).toBeGreaterThan(0);
    for (const criterion of aceCriteria) {
      const mirrored = /Mirrors ACE: (\w+)/.exec(criterion.ruleText)?.[1];
      const named = mirrored !== undefined && aceFieldNames.has(mirrored);
      const ownRule = criterion.ruleText.includes('ACE has no field rule');
      expect([criterion.developerName, named || ownRule]).toEqual([
        criterion.developerName,
        true,
      ]);
    }
  });
});
