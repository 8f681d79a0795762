import { catalogue } from '../scenario/catalogue.ts';
import { allScenarios } from './scenario-selection.ts';

/** One catalogue row with the scenario that tries it. */
export interface ClaimListing {
  readonly id: string;
  readonly article: string;
  readonly section: string;
  readonly says: string;
  readonly scenario: string | null;
}

/** The whole catalogue, each claim with the scenario that tries it (null: none yet). */
export async function claimListings(): Promise<ClaimListing[]> {
  const scenarioOf = new Map<string, string>();
  for (const spec of await allScenarios()) for (const claim of spec.claims) scenarioOf.set(claim.id, spec.name);
  return catalogue.map((c) => ({ ...c, scenario: scenarioOf.get(c.id) ?? null }));
}

/** `--claims`: a line per claim (id, article §section, scenario, what it says), or JSON. */
export function renderClaimListings(listings: readonly ClaimListing[], json: boolean): string {
  if (json) return JSON.stringify(listings);
  return listings.map((l) => `${l.id.padEnd(4)} ${l.article} §${l.section}  [${l.scenario ?? 'no scenario yet'}]\n     ${l.says}`).join('\n');
}
