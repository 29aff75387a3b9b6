/** A deal the demo wrote into a store, by its Id and name. */
export interface CreatedDeal {
  id: string;
  name: string;
}

/**
 * Returns the sentence that names the deals a demo run against COSELL_URL
 * leaves part-way through its stages in the store `dbPath`, so that the user
 * can find them there.
 */
export function describeLeftDeals(
  deals: readonly CreatedDeal[],
  dbPath: string,
): string {
  const names = deals
    .map((deal) => `${deal.id} ${JSON.stringify(deal.name)}`)
    .join(', ');
  const noun = deals.length === 1 ? 'deal' : 'deals';
  return (
    `It leaves the ${noun} ${names} part-way through the stages in ` +
    `COSELL_DB_PATH=${JSON.stringify(dbPath)}, the store of the middleware at COSELL_URL.`
  );
}
