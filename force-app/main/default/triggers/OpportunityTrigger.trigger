trigger OpportunityTrigger on Opportunity(after update, after undelete) {
    new CosellOpportunityTriggerHandler()
        .handle(Trigger.operationType, Trigger.new, Trigger.oldMap);
}
