import { lineItemTax, resolvePlanTax, type TaxTreatment } from '../billing/tax.js';
import { DomainError, isDomainError } from '../core/errors.js';
import type { HubSpotCrm } from '../integrations/hubspot/client.js';

/** The HubSpot line item properties a line's tax treatment is read from (see `lineItemTax`). */
export const LINE_ITEM_TAX_PROPERTIES = ['hs_tax_rate', 'hs_tax_label', 'rh_tax_code', 'rh_tax_inclusive'] as const;

type Component = { lineItemId?: unknown; tax?: unknown };

/**
 * A billing plan input with the tax of the HubSpot line items its components name (`lineItemId`) filled in where
 * a component states none — one batch read, and none when no component names a line item. A line item whose tax
 * properties cannot be read is refused naming the line item, the property and the value.
 * @example const plan = await planWithLineItemTax(crm, values.billingPlan)
 */
export async function planWithLineItemTax(crm: HubSpotCrm, planInput: unknown): Promise<unknown> {
  if (typeof planInput !== 'object' || planInput === null) return planInput;
  const components = (planInput as { components?: unknown }).components;
  if (!Array.isArray(components)) return planInput;
  const ids = components.flatMap((c: Component) =>
    c && typeof c === 'object' && typeof c.lineItemId === 'string' && !c.tax ? [c.lineItemId] : [],
  );
  if (ids.length === 0) return planInput;
  const records = await crm.batchReadLineItems(ids, LINE_ITEM_TAX_PROPERTIES);
  const lineItems: Record<string, TaxTreatment | null> = {};
  for (const r of records) {
    try {
      lineItems[r.id] = lineItemTax(r.properties);
    } catch (e) {
      if (!isDomainError(e)) throw e;
      throw new DomainError(
        'invalid_input',
        `HubSpot line item ${r.id}: ${e.path} ${e.message} (hs_tax_rate "${r.properties.hs_tax_rate ?? ''}", tax code "${r.properties.rh_tax_code ?? r.properties.hs_tax_label ?? ''}")`,
        `lineItems.${r.id}.tax`,
      );
    }
  }
  return resolvePlanTax(planInput as { components: Array<{ lineItemId?: string; tax?: TaxTreatment }> }, { lineItems });
}
