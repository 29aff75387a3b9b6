trigger DealRegistrationTrigger on Deal_Registration__c(
    after insert,
    after update
) {
    new PartnerShareService()
        .shareDealRegistrations(Trigger.new, Trigger.oldMap);
}
