import { DomainError } from '../core/errors.js';
import type { HandoffDataInput } from '../handoff/fields.js';
import type { CrmRecord, DealPipeline, DealStage, HubSpotCrm } from '../integrations/hubspot/client.js';
import { readHandoffData } from '../integrations/hubspot/handoff-codec.js';
import { DEAL_CONTEXT_PROPERTIES, handoffPropertiesOf } from '../integrations/hubspot/properties.js';
import type { PortalSettings } from '../settings/portal-settings.js';

/** Everything a handoff view needs from HubSpot about one deal. */
export interface DealContext {
  deal: CrmRecord;
  company: CrmRecord | null;
  billingContact: CrmRecord | null;
  stage: DealStage | null;
  /** Won by the portal's settings (explicit stage ids) or, without any, by HubSpot's closed-won flag. */
  isWon: boolean;
  values: HandoffDataInput;
}

const PIPELINE_TTL_MS = 5 * 60_000;
const pipelineCache = new Map<number, { at: number; pipelines: DealPipeline[] }>();

/** Deal pipelines, cached per portal for five minutes: stages change rarely and every view needs their labels. */
export async function dealPipelines(crm: HubSpotCrm, now = Date.now()): Promise<DealPipeline[]> {
  const hit = pipelineCache.get(crm.portalId);
  if (hit && now - hit.at < PIPELINE_TTL_MS) return hit.pipelines;
  const pipelines = await crm.getDealPipelines();
  pipelineCache.set(crm.portalId, { at: now, pipelines });
  return pipelines;
}

/** Forgets cached pipelines (tests, or after a pipeline webhook). */
export function forgetPipelines(portalId?: number): void {
  if (portalId === undefined) pipelineCache.clear();
  else pipelineCache.delete(portalId);
}

/** The stage record of a deal's stage id, across the portal's pipelines. */
export function findStage(
  pipelines: ReadonlyArray<DealPipeline>,
  stageId: string | null | undefined,
): DealStage | null {
  if (!stageId) return null;
  for (const p of pipelines) {
    const s = p.stages.find((st) => st.id === stageId);
    if (s) return s;
  }
  return null;
}

/** Whether a stage counts as won for this portal. */
export function isWonStage(settings: PortalSettings, stage: DealStage | null, stageId: string | null): boolean {
  if (settings.wonStageIds.length > 0) return stageId !== null && settings.wonStageIds.includes(stageId);
  return stage?.closedWon ?? false;
}

/**
 * Reads a deal, its primary company and its billing contact with at most five HubSpot calls (deal, association,
 * company, contact, pipelines — the last usually cached), and decodes the handoff values stored on them.
 * @example const ctx = await loadDealContext(crm, settings, '1001');
 */
export async function loadDealContext(crm: HubSpotCrm, settings: PortalSettings, dealId: string): Promise<DealContext> {
  const [deals, associations, pipelines] = await Promise.all([
    crm.batchReadDeals([dealId], [...DEAL_CONTEXT_PROPERTIES, ...handoffPropertiesOf('deals')]),
    crm.readAssociations('deals', [dealId], 'companies'),
    dealPipelines(crm),
  ]);
  const deal = deals[0];
  if (!deal) throw new DomainError('not_found', `Deal ${dealId} does not exist in this HubSpot account`, 'dealId');
  const companyId = associations[dealId]?.[0];
  const contactId = deal.properties.rh_billing_contact_id ?? null;
  const [companies, contacts] = await Promise.all([
    companyId ? crm.batchReadCompanies([companyId], ['name', 'domain', ...handoffPropertiesOf('companies')]) : [],
    contactId ? crm.batchReadContacts([contactId], handoffPropertiesOf('contacts')) : [],
  ]);
  const company = companies[0] ?? null;
  const billingContact = contacts[0] ?? null;
  const stageId = deal.properties.dealstage ?? null;
  const stage = findStage(pipelines, stageId);
  return {
    deal,
    company,
    billingContact,
    stage,
    isWon: isWonStage(settings, stage, stageId),
    values: readHandoffData({ deal, company, billingContact }),
  };
}
