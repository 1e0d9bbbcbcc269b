/**
 * The webhook subscriptions the app needs, as data for the project's `app/webhooks/webhooks-hsmeta.json`
 * (written elsewhere from this list, so the subscriptions and the code that classifies their events cannot drift:
 * test/integrations/hubspot/app-webhooks.test.ts checks every one classifies as something the app handles).
 */

export interface CrmObjectSubscription {
  subscriptionType: 'object.propertyChange' | 'object.creation';
  objectType: 'deal' | 'company';
  propertyName?: string;
  active: boolean;
}

/**
 * Company properties whose changes matter: credit hold (finance sets it by hand; the banner and upsell warning
 * follow it) and the billing entity's legal name and address (they are pushed to the finance customer).
 */
export const WATCHED_COMPANY_PROPERTIES = [
  'rh_credit_hold',
  'rh_billing_entity_legal_name',
  'address',
  'address2',
  'city',
  'state',
  'zip',
  'country',
] as const;

export const CRM_OBJECT_SUBSCRIPTIONS: ReadonlyArray<CrmObjectSubscription> = [
  // The gate: a deal moved into a won stage by anyone or anything (UI, API, workflow, import).
  { subscriptionType: 'object.propertyChange', objectType: 'deal', propertyName: 'dealstage', active: true },
  // New deals for overdue or credit-hold customers get the upsell warning.
  { subscriptionType: 'object.creation', objectType: 'deal', active: true },
  ...WATCHED_COMPANY_PROPERTIES.map(
    (propertyName): CrmObjectSubscription => ({
      subscriptionType: 'object.propertyChange',
      objectType: 'company',
      propertyName,
      active: true,
    }),
  ),
];

/**
 * The whole webhooks component for the hsmeta file.
 * @example webhooksHsmeta('https://handoff.example.com/webhooks/hubspot').config.subscriptions.crmObjects.length // 10
 */
export function webhooksHsmeta(targetUrl: string, maxConcurrentRequests = 10) {
  return {
    type: 'webhooks' as const,
    config: {
      settings: { targetUrl, maxConcurrentRequests },
      subscriptions: { crmObjects: CRM_OBJECT_SUBSCRIPTIONS.map((s) => ({ ...s })) },
    },
  };
}
