/**
 * Record Id prefixes. Standard objects use Salesforce's real prefixes. A custom
 * object's prefix differs in every org, so local mode gives each one a fixed prefix
 * from this table: stored Ids stay valid when objects are added, which a prefix
 * derived from the object list would not guarantee.
 */
export const KEY_PREFIXES: Readonly<Record<string, string>> = {
  Opportunity: '006',
  Account: '001',
  Contact: '003',
  User: '005',
  OpportunityTeamMember: '00q',
  PermissionSetAssignment: '0Pa',
  PermissionSet: '0PS',
  Deal_Registration__c: 'a01',
  Joint_Qualification__c: 'a02',
  Close_Plan_Step__c: 'a03',
  Deal_Approval__c: 'a04',
  Deal_Partner__c: 'a05',
  Stage_Request__c: 'a06',
  Stage_Transition__c: 'a07',
  Idempotency_Record__c: 'a08',
  Cosell_Model__mdt: 'm01',
  Cosell_Stage__mdt: 'm02',
  Exit_Criterion__mdt: 'm03',
};
