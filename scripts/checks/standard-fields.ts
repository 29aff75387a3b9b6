/**
 * Standard objects and fields that Apex, LWC and permission sets may name beyond the
 * ones the middleware's schema models (`middleware/src/org/force-app/
 * standard-objects.ts`). The cross-reference check accepts these names on standard
 * objects; a standard object in neither list is not checked. Add a field here when
 * code starts to use it.
 */
export const EXTRA_STANDARD_FIELDS: Readonly<
  Record<string, readonly string[]>
> = {
  Opportunity: [
    'Description',
    'Type',
    'LeadSource',
    'ForecastCategory',
    'IsDeleted',
    'SystemModstamp',
  ],
  Account: ['Type', 'Industry', 'Phone', 'ParentId', 'RecordTypeId'],
  Contact: ['Phone', 'Title'],
  User: [
    'FirstName',
    'LastName',
    'Alias',
    'ProfileId',
    'TimeZoneSidKey',
    'LocaleSidKey',
    'EmailEncodingKey',
    'LanguageLocaleKey',
    'DefaultCurrencyIsoCode',
    'SmallPhotoUrl',
  ],
  CustomPermission: ['Id', 'DeveloperName', 'MasterLabel', 'NamespacePrefix'],
  SetupEntityAccess: ['Id', 'ParentId', 'SetupEntityId', 'SetupEntityType'],
  Profile: ['Id', 'Name'],
};
