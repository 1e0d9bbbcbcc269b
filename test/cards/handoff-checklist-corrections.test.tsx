import { Button, Flex, LoadingSpinner, StatusTag, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { HandoffChecklist } from '../../cards/handoff-checklist/HandoffChecklist.js';
import type { CorrectionView, HandoffView } from '../../src/api/contracts.js';
import { type StubbedBackend, stubBackend } from './backend-stub.js';
import { DEAL_ID, view, views } from './handoff-fixtures.js';
import { textOf } from './render-helpers.js';

let backend: StubbedBackend;
beforeEach(() => {
  backend = stubBackend();
});

const TERMS: CorrectionView = {
  id: '0d5e4c1a-0000-4000-8000-000000000001',
  text: 'Payment terms changed in Xero on 3 Nov: Net 30 → Net 45',
  field: 'paymentTerms',
  system: 'xero',
  status: 'flagged',
  note: null,
  at: '2026-11-03T09:00:00.000Z',
  acknowledgedBy: null,
  canAcknowledge: true,
};

function withCorrections(corrections: CorrectionView[], over: Partial<HandoffView> = {}): HandoffView {
  const live = views.billingLive();
  return view({ ...live, ...over, billing: { ...live.billing, corrections } });
}

async function renderLoaded(first: HandoffView) {
  backend.answer('getHandoffView', { body: first });
  const r = createRenderer('crm.record.tab');
  r.render(<HandoffChecklist dealId={DEAL_ID} />);
  await r.waitFor(() => expect(r.maybeFind(LoadingSpinner)).toBeNull());
  return r;
}

describe('HandoffChecklist: changes made in the finance system', () => {
  it('shows a flagged correction in words with "Needs review", and finance can mark it reviewed', async () => {
    const r = await renderLoaded(withCorrections([TERMS], { user: { id: '88', roles: ['finance'], teams: [] } }));
    const row = r.findByTestId(Flex, `correction-${TERMS.id}`);
    expect(textOf(row)).toContain('Payment terms changed in Xero on 3 Nov: Net 30 → Net 45');
    expect(r.find(StatusTag, (n) => textOf(n) === 'Needs review').props.variant).toBe('warning');

    backend.answer('acknowledgeCorrection', {
      body: withCorrections([{ ...TERMS, status: 'acknowledged', acknowledgedBy: '88', canAcknowledge: false }]),
    });
    r.findByTestId(Button, `acknowledge-${TERMS.id}`).trigger('onClick');
    await r.waitFor(() => expect(r.maybeFind(Button, (n) => n.props.testId === `acknowledge-${TERMS.id}`)).toBeNull());
    expect(backend.callsTo('acknowledgeCorrection')).toHaveLength(1);
    expect(backend.callsTo('acknowledgeCorrection')[0]?.body).toEqual({ dealId: DEAL_ID, correctionId: TERMS.id });
    expect(textOf(r.getRootNode())).toContain('Reviewed by user 88');
  });

  it('shows an adopted correction as adopted into HubSpot, with no review button', async () => {
    const adopted = { ...TERMS, status: 'adopted' as const, canAcknowledge: false };
    const r = await renderLoaded(withCorrections([adopted]));
    expect(textOf(r.getRootNode())).toContain('Payment terms changed in Xero on 3 Nov: Net 30 → Net 45');
    expect(r.maybeFind(StatusTag, (n) => textOf(n) === 'Adopted into HubSpot')).not.toBeNull();
    expect(r.maybeFind(Button, (n) => n.props.testId === `acknowledge-${TERMS.id}`)).toBeNull();
  });

  it('says why an adopt-policy correction was flagged instead, and sales cannot acknowledge', async () => {
    const flagged = {
      ...TERMS,
      note: 'These payment terms have no code in Revenue Handoff; review them by hand',
      canAcknowledge: false,
    };
    const r = await renderLoaded(withCorrections([flagged]));
    expect(r.find(Text, (n) => textOf(n).includes('no code in Revenue Handoff'))).toBeDefined();
    expect(r.maybeFind(Button, (n) => n.props.testId === `acknowledge-${TERMS.id}`)).toBeNull();
  });

  it('shows nothing about corrections when there are none', async () => {
    const r = await renderLoaded(withCorrections([]));
    expect(textOf(r.getRootNode())).not.toContain('Changed in the finance system');
  });
});
