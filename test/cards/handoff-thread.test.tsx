import { List, LoadingSpinner } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { HandoffChecklist } from '../../cards/handoff-checklist/HandoffChecklist.js';
import { actorName } from '../../src/app/handoff-view.js';
import { type StubbedBackend, stubBackend } from './backend-stub.js';
import { DEAL_ID, handoff, view } from './handoff-fixtures.js';
import { textOf } from './render-helpers.js';

let backend: StubbedBackend;
beforeEach(() => {
  backend = stubBackend();
});

describe('the handoff thread reads as sentences about people', () => {
  it('names users from the portal settings, the app as Revenue Handoff, and anyone else by id', () => {
    const names = { '3003': { name: 'Frankie Finance' }, '2002': {} };
    expect(actorName('3003', names)).toBe('Frankie Finance');
    expect(actorName('2002', names)).toBe('User 2002');
    expect(actorName('9999', names)).toBe('User 9999');
    expect(actorName('system', names)).toBe('Revenue Handoff');
  });

  it('shows who did what in words, also for events the card has no phrase for', async () => {
    backend.answer('getHandoffView', {
      body: view({
        handoffs: [
          handoff({
            thread: [
              { type: 'gate_reverted', actor: 'system', actorName: 'Revenue Handoff', at: '2026-01-05T10:00:00.000Z' },
              { type: 'submitted', actor: '1001', actorName: 'Riley Rep (Sales)', at: '2026-01-06T09:00:00.000Z' },
              { type: 'something_new', actor: '3003', actorName: 'User 3003', at: '2026-01-06T10:00:00.000Z' },
            ],
          }),
        ],
      }),
    });
    const r = createRenderer('crm.record.tab');
    r.render(<HandoffChecklist dealId={DEAL_ID} />);
    await r.waitFor(() => expect(r.maybeFind(LoadingSpinner)).toBeNull());
    const thread = textOf(r.find(List, (n) => String(n.props.testId ?? '').endsWith('thread')));
    expect(thread).toContain('Revenue Handoff moved the deal out of Closed Won: the handoff is incomplete');
    expect(thread).toContain('Riley Rep (Sales) submitted the handoff');
    expect(thread).toContain('User 3003 something new');
    expect(thread).not.toContain('gate_reverted');
  });
});
