import { Button, LoadingSpinner, TextArea } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { HandoffChecklist } from '../../cards/handoff-checklist/HandoffChecklist.js';
import type { HandoffView } from '../../src/api/contracts.js';
import { type StubbedBackend, stubBackend } from './backend-stub.js';
import { can, DEAL_ID, field, handoff, salesToCsAccepted, view } from './handoff-fixtures.js';
import { fire, textOf } from './render-helpers.js';

const PAYMENT =
  'Overdue. 1 invoice is 12 days past due. Outstanding $4,000.00, overdue $1,000.00, DSO 41 days. As of 2026-11-20.';
const USAGE =
  'Committed: 10,000 API calls a month. Invoiced to date: $9,000.00 of the contract value $12,000.00 (75%) over 9 invoices.';

/** The renewal handoff the sweep created on the deal, as the server reports it. */
function renewal(over: Parameters<typeof handoff>[0] = {}) {
  return handoff({
    id: 'h-renewal',
    revision: 1,
    templateId: 'default-cs-to-sales-renewal',
    templateName: 'Customer Success → Sales (renewal)',
    templateVersion: 1,
    fromTeam: 'customer_success',
    toTeam: 'sales',
    fields: [
      field('renewalDate', { value: '2027-02-23' }),
      field('usageAgainstCommitment', { value: USAGE }),
      field('paymentHealth', { value: PAYMENT }),
      field('knownRisks', { value: 'Their admin leaves in June' }),
      field('promisesMade', { value: 'SSO by Q3' }),
      field('expansionHypothesis', { value: 'A second team in Berlin', severity: 'warning' }),
      field('renewalTerms', { value: 'Auto-renews for 12 months; 60 days notice' }),
    ],
    rejectionReasons: [
      { code: 'missing_info', label: 'Missing or unclear required information' },
      { code: 'payment_issue_unresolved', label: 'An open payment issue must be settled before the renewal talk' },
    ],
    ...over,
  });
}

let backend: StubbedBackend;
beforeEach(() => {
  backend = stubBackend();
});

async function renderLoaded(first: HandoffView) {
  backend.answer('getHandoffView', { body: first });
  const r = createRenderer('crm.record.tab');
  r.render(<HandoffChecklist dealId={DEAL_ID} />);
  await r.waitFor(() => expect(r.maybeFind(LoadingSpinner)).toBeNull());
  return r;
}

describe('HandoffChecklist: the renewal handoff', () => {
  it('shows the renewal handoff on the deal with usage, payment health, risks, promises and terms prefilled', async () => {
    const r = await renderLoaded(
      view({
        handoffs: [salesToCsAccepted, handoff({ state: 'billing_live' }), renewal()],
        user: { id: '2002', roles: ['customer_success'], teams: ['customer_success'] },
      }),
    );
    const text = textOf(r.getRootNode());
    expect(text).toContain('Customer Success → Sales (renewal)');
    for (const shown of [PAYMENT, USAGE, 'Their admin leaves in June', 'SSO by Q3', 'A second team in Berlin']) {
      expect(text).toContain(shown);
    }
    expect(text).toContain('Auto-renews for 12 months; 60 days notice');
  });

  it('customer success corrects the prefilled usage and saves it through the existing action', async () => {
    const r = await renderLoaded(
      view({
        handoffs: [
          salesToCsAccepted,
          handoff({ state: 'billing_live' }),
          renewal({ can: can({ edit: true, submit: true, ask: true, answer: true }) }),
        ],
        user: { id: '2002', roles: ['customer_success'], teams: ['customer_success'] },
      }),
    );
    r.findByTestId(Button, 'h-renewal/edit-usageAgainstCommitment').trigger('onClick');
    await r.waitFor(() => expect(r.maybeFind(TextArea, { name: 'usageAgainstCommitment' })).not.toBeNull());
    expect(r.find(TextArea, { name: 'usageAgainstCommitment' }).props.value).toBe(USAGE);
    fire(r.find(TextArea, { name: 'usageAgainstCommitment' }), 'onChange', 'Uses 12,400 calls a month: 24% over');
    backend.answer('saveHandoffFields', { body: view({ handoffs: [renewal()] }) });
    await r.waitFor(() =>
      expect(r.find(TextArea, { name: 'usageAgainstCommitment' }).props.value).toBe(
        'Uses 12,400 calls a month: 24% over',
      ),
    );
    r.findByTestId(Button, 'h-renewal/save').trigger('onClick');
    await r.waitFor(() => expect(backend.callsTo('saveHandoffFields')).toHaveLength(1));
    expect(backend.callsTo('saveHandoffFields')[0]?.body).toMatchObject({
      dealId: DEAL_ID,
      handoffId: 'h-renewal',
      revision: 1,
      values: { usageAgainstCommitment: 'Uses 12,400 calls a month: 24% over' },
    });
  });

  it('the account owner accepts the submitted renewal handoff', async () => {
    const r = await renderLoaded(
      view({
        handoffs: [
          salesToCsAccepted,
          handoff({ state: 'billing_live' }),
          renewal({ state: 'submitted', can: can({ review: true, ask: true, answer: true }) }),
        ],
        user: { id: '1001', roles: ['sales'], teams: [] },
      }),
    );
    expect(r.findByTestId(Button, 'h-renewal/accept').text).toBe('Accept handoff');
    backend.answer('reviewHandoff', { body: view({ handoffs: [renewal({ state: 'accepted' })] }) });
    r.findByTestId(Button, 'h-renewal/accept').trigger('onClick');
    await r.waitFor(() => expect(backend.callsTo('reviewHandoff')).toHaveLength(1));
    expect(backend.callsTo('reviewHandoff')[0]?.body).toMatchObject({
      handoffId: 'h-renewal',
      action: { type: 'accept' },
    });
  });
});
