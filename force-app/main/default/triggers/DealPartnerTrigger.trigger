trigger DealPartnerTrigger on Deal_Partner__c(after insert, after update) {
    new PartnerShareService().shareDealPartners(Trigger.new, Trigger.oldMap);
}
