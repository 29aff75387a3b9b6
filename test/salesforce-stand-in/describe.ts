import type {
  FieldSchema,
  ObjectSchema,
} from '../../middleware/src/domain/schema.js';
import { notFound } from './api-error.js';
import type { Router } from './router.js';
import type { StandInState } from './state.js';
import { isReadOnly } from './write-input.js';

const SOAP_TYPES: Record<string, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  boolean: 'xsd:boolean',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  int: 'xsd:int',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
};

export function registerDescribeRoutes(router: Router): void {
  router.add('GET', 'sobjects', 'describe', (state) => ({
    status: 200,
    body: {
      encoding: 'UTF-8',
      maxBatchSize: 200,
      sobjects: state.schema
        .objects()
        .map((object) => globalEntry(state, object)),
    },
  }));
  router.add('GET', 'sobjects/:type', 'describe', (state, call, params) => ({
    status: 200,
    body: {
      objectDescribe: globalEntry(state, objectOrNotFound(state, params.type)),
      recentItems: [],
    },
  }));
  router.add(
    'GET',
    'sobjects/:type/describe',
    'describe',
    (state, call, params) => ({
      status: 200,
      body: describeObject(state, objectOrNotFound(state, params.type)),
    }),
  );
}

export function objectOrNotFound(
  state: StandInState,
  name: string | undefined,
): ObjectSchema {
  const object = state.schema.object(name ?? '');
  if (!object) throw notFound();
  return object;
}

function objectUrls(state: StandInState, object: ObjectSchema) {
  const base = `/services/data/v${state.settings.apiVersion}/sobjects/${object.name}`;
  return {
    sobject: base,
    describe: `${base}/describe`,
    rowTemplate: `${base}/{ID}`,
  };
}

function globalEntry(state: StandInState, object: ObjectSchema) {
  const writable = !object.name.endsWith('__mdt');
  return {
    name: object.name,
    label: object.label,
    labelPlural: object.label,
    keyPrefix: object.keyPrefix,
    custom: object.custom,
    customSetting: false,
    createable: writable,
    updateable: writable,
    deletable: writable,
    queryable: true,
    retrieveable: true,
    searchable: true,
    undeletable: writable,
    urls: objectUrls(state, object),
  };
}

/** Builds the describe result of one object, in the shape of `DescribeSObjectResult`. */
export function describeObject(state: StandInState, object: ObjectSchema) {
  return {
    ...globalEntry(state, object),
    fields: Object.values(object.fields).map((field) =>
      describeField(object, field),
    ),
    childRelationships: Object.values(object.childRelationships).map(
      (child) => {
        const lookup = state.schema.field(child.childSObject, child.field);
        return {
          cascadeDelete: lookup?.nillable === false,
          childSObject: child.childSObject,
          deprecatedAndHidden: false,
          field: child.field,
          junctionIdListNames: [],
          junctionReferenceTo: [],
          relationshipName: child.relationshipName,
          restrictedDelete: false,
        };
      },
    ),
    recordTypeInfos: [],
  };
}

function describeField(object: ObjectSchema, field: FieldSchema) {
  const readOnly = isReadOnly(object, field);
  const writable = !readOnly && !object.name.endsWith('__mdt');
  const isLongText = field.type === 'textarea' && (field.length ?? 0) > 255;
  const defaultValue = field.defaultValue ?? null;
  return {
    name: field.name,
    label: field.label,
    type: field.type,
    soapType: SOAP_TYPES[field.type] ?? 'xsd:string',
    length: field.length ?? 0,
    byteLength: (field.length ?? 0) * 3,
    precision: field.precision ?? 0,
    scale: field.scale ?? 0,
    custom: field.custom,
    nillable: field.nillable ?? true,
    createable: writable,
    updateable: writable,
    defaultValue,
    defaultedOnCreate:
      defaultValue !== null || field.type === 'boolean' || readOnly,
    externalId: field.externalId ?? false,
    unique: field.unique ?? false,
    idLookup: field.name === 'Id' || (field.externalId ?? false),
    caseSensitive: false,
    calculated: false,
    autoNumber: false,
    nameField: field.name === 'Name',
    filterable: !isLongText,
    sortable: !isLongText,
    groupable: !isLongText,
    aggregatable: !isLongText,
    referenceTo: field.referenceTo ?? [],
    relationshipName: field.relationshipName ?? null,
    relationshipOrder: null,
    cascadeDelete: false,
    restrictedPicklist: field.restrictedPicklist ?? false,
    dependentPicklist: false,
    picklistValues: (field.picklistValues ?? []).map((value) => ({
      active: true,
      defaultValue: value === field.defaultValue,
      label: value,
      validFor: null,
      value,
    })),
  };
}
