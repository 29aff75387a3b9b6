/** The default model's criteria, as the shipped Exit_Criterion__mdt records state them. */
export const DEFAULT_FORMULAS: Record<string, string> = {
  Clear_Registration:
    'COUNT(Deal_Registrations__r, AND(OR(ISPICKVAL(Status__c, "Approved"), ISPICKVAL(Status__c, "Converted")), ISPICKVAL(Conflict_Status__c, "Clear"))) >= 1',
  Owners_Named:
    'AND(NOT(ISBLANK(Vendor_Owner__c)), NOT(ISBLANK(Partner_Owner__c)))',
  Content_Complete:
    'COUNT(Joint_Qualifications__r, AND(NOT(ISBLANK(Need__c)), NOT(ISBLANK(Budget__c)), NOT(ISBLANK(Reason_To_Act__c)), NOT(ISBLANK(Joint_Value__c)))) >= 1',
  Both_Sides_Confirmed:
    'COUNT(Joint_Qualifications__r, AND(NOT(ISBLANK(Need__c)), NOT(ISBLANK(Budget__c)), NOT(ISBLANK(Reason_To_Act__c)), NOT(ISBLANK(Joint_Value__c)), NOT(ISBLANK(Vendor_Confirmed_By__c)), NOT(ISBLANK(Partner_Confirmed_By__c)))) >= 1',
  Customer_Confirmed: 'NOT(ISBLANK(Customer_Evaluation_Confirmed_At__c))',
  Customer_Step:
    'COUNT(Close_Plan_Steps__r, ISPICKVAL(Owner_Side__c, "Customer")) >= 1',
  Approval_Exists: 'COUNT(Deal_Approvals__r) >= 1',
  Cross_Side_Handoff:
    'ALL(Deal_Approvals__r, AND(NOT(ISBLANK(Owner__c)), NOT(ISBLANK(Handoff_Counterpart__c)), NOT(ISBLANK(Opportunity__r.Partner_Account__c)), OR(AND(ISBLANK(Owner__r.AccountId), Handoff_Counterpart__r.AccountId = Opportunity__r.Partner_Account__c), AND(ISBLANK(Handoff_Counterpart__r.AccountId), Owner__r.AccountId = Opportunity__r.Partner_Account__c))))',
  Closed_Won: 'IsWon',
  One_Sourcing_Partner:
    'COUNT(Deal_Partners__r, ISPICKVAL(Role__c, "Sourcing")) <= 1',
  Splits_Total_100: 'SUM(Deal_Partners__r, Split_Percent__c) = 100',
  Lost_Reason: 'NOT(ISBLANK(TEXT(Closed_Lost_Reason__c)))',
};
