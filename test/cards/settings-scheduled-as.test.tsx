import { Button, Select, Text } from '@hubspot/ui-extensions';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { DEFAULT_CS_TO_FINANCE } from '../../src/handoff/templates/default-cs-to-finance.js';
import { type StubbedBackend, stubBackend } from './backend-stub.js';
import { fire, textOf } from './render-helpers.js';
import { renderSettings, settingsView } from './settings-fixtures.js';

let backend: StubbedBackend;
beforeEach(() => {
  backend = stubBackend();
});

describe('Settings page: how QuickBooks shows invoices not yet due', () => {
  it('offers the choice on templates that start billing only, and saves quickbooksScheduledAs', async () => {
    const r = await renderSettings(backend);
    // The sales → CS template starts no billing: no such setting.
    expect(r.maybeFind(Select, { name: 'quickbooksScheduledAs' })).toBeNull();
    fire(r.find(Select, { name: 'templateId' }), 'onChange', DEFAULT_CS_TO_FINANCE.id);
    await r.waitFor(() => expect(r.maybeFind(Select, { name: 'quickbooksScheduledAs' })).not.toBeNull());
    const select = r.find(Select, { name: 'quickbooksScheduledAs' });
    expect(select.props.value).toBe('held');
    expect(select.props.options).toEqual([
      { value: 'held', label: 'Held in Revenue Handoff until their date (default)' },
      { value: 'estimate', label: 'Also shown in QuickBooks as Estimates until their date' },
    ]);
    // The fixture is connected to Xero: the card says what 'estimate' would do there.
    expect(textOf(r.getRootNode())).toContain('with Xero connected, Estimates stops billing setup');

    fire(select, 'onChange', 'estimate');
    await r.waitFor(() => expect(r.find(Select, { name: 'quickbooksScheduledAs' }).props.value).toBe('estimate'));
    backend.answer('saveTemplate', { body: settingsView() });
    fire(r.findByTestId(Button, 'save-template'), 'onClick');
    await r.waitFor(() => expect(r.maybeFind(Text, { testId: 'template-saved' })).not.toBeNull());
    const template = backend.callsTo('saveTemplate')[0]?.body.template as Record<string, unknown>;
    expect(template).toMatchObject({ id: DEFAULT_CS_TO_FINANCE.id, quickbooksScheduledAs: 'estimate' });
  });

  it('says nothing about other systems when QuickBooks is connected', async () => {
    const view = settingsView({
      finance: {
        connected: true,
        system: 'quickbooks',
        displayName: 'Acme Books (QuickBooks)',
        status: 'connected',
        lastError: null,
      },
    });
    const r = await renderSettings(backend, view);
    fire(r.find(Select, { name: 'templateId' }), 'onChange', DEFAULT_CS_TO_FINANCE.id);
    await r.waitFor(() => expect(r.maybeFind(Select, { name: 'quickbooksScheduledAs' })).not.toBeNull());
    expect(textOf(r.getRootNode())).toContain('Estimates do not post to the books');
    expect(textOf(r.getRootNode())).not.toContain('stops billing setup');
  });
});
