/**
 * Every custom object and field API name the middleware uses, in one place. The
 * package has no namespace yet; `applyNamespace` prefixes the custom names for a
 * managed package, so adding one is a configuration change.
 */
export const OBJECTS = {
  opportunity: 'Opportunity',
  account: 'Account',
  contact: 'Contact',
  user: 'User',
  teamMember: 'OpportunityTeamMember',
  permissionSetAssignment: 'PermissionSetAssignment',
  registration: 'Deal_Registration__c',
  qualification: 'Joint_Qualification__c',
  planStep: 'Close_Plan_Step__c',
  approval: 'Deal_Approval__c',
  dealPartner: 'Deal_Partner__c',
  request: 'Stage_Request__c',
  transition: 'Stage_Transition__c',
  idempotency: 'Idempotency_Record__c',
  modelType: 'Cosell_Model__mdt',
  stageType: 'Cosell_Stage__mdt',
  criterionType: 'Exit_Criterion__mdt',
} as const;

export const OPPORTUNITY_FIELDS = {
  stage: 'Cosell_Stage__c',
  model: 'Cosell_Model__c',
  stageEnteredAt: 'Cosell_Stage_Entered_At__c',
  stageVersion: 'Cosell_Stage_Version__c',
  partnerAccount: 'Partner_Account__c',
  vendorOwner: 'Vendor_Owner__c',
  partnerOwner: 'Partner_Owner__c',
  customerEvaluationConfirmedAt: 'Customer_Evaluation_Confirmed_At__c',
  closedLostReason: 'Closed_Lost_Reason__c',
} as const;

export const REQUEST_FIELDS = {
  opportunity: 'Opportunity__c',
  fromStage: 'From_Stage__c',
  toStage: 'To_Stage__c',
  kind: 'Kind__c',
  requestedBy: 'Requested_By__c',
  requestingSide: 'Requesting_Side__c',
  status: 'Status__c',
  respondedBy: 'Responded_By__c',
  respondedAt: 'Responded_At__c',
  reason: 'Reason__c',
  responseReason: 'Response_Reason__c',
  expiresAt: 'Expires_At__c',
  idempotencyKey: 'Idempotency_Key__c',
  evaluationSnapshot: 'Evaluation_Snapshot__c',
  dealVersion: 'Deal_Version__c',
  /** Holds the deal Id while the request is pending, so a unique index allows one. */
  pendingDealKey: 'Pending_Deal_Key__c',
} as const;

export const TRANSITION_FIELDS = {
  opportunity: 'Opportunity__c',
  fromStage: 'From_Stage__c',
  toStage: 'To_Stage__c',
  request: 'Stage_Request__c',
  requestedBy: 'Requested_By__c',
  confirmedBy: 'Confirmed_By__c',
  at: 'Transitioned_At__c',
  evidenceSnapshot: 'Evidence_Snapshot__c',
  attributionSnapshot: 'Attribution_Snapshot__c',
  oneSided: 'One_Sided__c',
  key: 'Key__c',
  version: 'Version__c',
} as const;

export const IDEMPOTENCY_FIELDS = {
  key: 'Key__c',
  fingerprint: 'Fingerprint__c',
  responseStatus: 'Response_Status__c',
  responseBody: 'Response_Body__c',
  expiresAt: 'Expires_At__c',
} as const;

export const REGISTRATION_FIELDS = {
  customerCompany: 'Customer_Company__c',
  customerWebsite: 'Customer_Website__c',
  customerCountry: 'Customer_Country__c',
  productLine: 'Product_Line__c',
  amount: 'Amount__c',
  expectedCloseDate: 'Expected_Close_Date__c',
  status: 'Status__c',
  conflictStatus: 'Conflict_Status__c',
  conflictMatches: 'Conflict_Matches__c',
  expiresAt: 'Expires_At__c',
  opportunity: 'Opportunity__c',
  partnerAccount: 'Partner_Account__c',
  submittedBy: 'Submitted_By__c',
  decidedBy: 'Decided_By__c',
  decidedAt: 'Decided_At__c',
  decisionReason: 'Decision_Reason__c',
} as const;

export const DEAL_PARTNER_FIELDS = {
  opportunity: 'Opportunity__c',
  partnerAccount: 'Partner_Account__c',
  role: 'Role__c',
  splitPercent: 'Split_Percent__c',
} as const;

/** Child relationship names on Opportunity. */
export const RELATIONSHIPS = {
  registrations: 'Deal_Registrations__r',
  qualifications: 'Joint_Qualifications__r',
  planSteps: 'Close_Plan_Steps__r',
  approvals: 'Deal_Approvals__r',
  dealPartners: 'Deal_Partners__r',
  requests: 'Stage_Requests__r',
  transitions: 'Stage_Transitions__r',
  teamMembers: 'OpportunityTeamMembers',
} as const;

/**
 * Prefixes a custom API name (`Stage_Request__c`, `Deal_Approvals__r`) with a
 * managed-package namespace; standard names pass through unchanged.
 */
export function applyNamespace(apiName: string, namespace: string): string {
  if (namespace === '') return apiName;
  const isCustom = /__(c|r|mdt)$/.test(apiName);
  const hasNamespace = /^[A-Za-z0-9]+__[A-Za-z0-9_]+__(c|r|mdt)$/.test(apiName);
  return isCustom && !hasNamespace ? `${namespace}__${apiName}` : apiName;
}
