import { Alert, Button, LoadingSpinner, Select, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { SettingsPage } from '../../cards/settings/SettingsPage.js';
import { type SettingsView, SettingsViewSchema } from '../../src/api/contracts.js';
import { HANDOFF_FIELDS } from '../../src/handoff/fields.js';
import { DEFAULT_CS_TO_FINANCE } from '../../src/handoff/templates/default-cs-to-finance.js';
import { DEFAULT_SALES_TO_CS } from '../../src/handoff/templates/default-sales-to-cs.js';
import { DEFAULT_PORTAL_SETTINGS, parsePortalSettings } from '../../src/settings/portal-settings.js';
import { type StubbedBackend, stubBackend } from './backend-stub.js';
import { fire } from './render-helpers.js';

/** The settings view built from the real defaults (settings, templates, field catalog), parsed by the contract. */
function settingsView(over: Partial<SettingsView> = {}): SettingsView {
  const v: SettingsView = {
    settings: JSON.parse(
      JSON.stringify({ ...DEFAULT_PORTAL_SETTINGS, users: { '88': { roles: ['finance'], teams: ['finance'] } } }),
    ),
    templates: JSON.parse(JSON.stringify([DEFAULT_SALES_TO_CS, DEFAULT_CS_TO_FINANCE])),
    finance: {
      connected: true,
      system: 'xero',
      displayName: 'Acme Demo Ltd (Xero)',
      status: 'connected',
      lastError: null,
    },
    connectUrls: {
      quickbooks: 'https://revenue-handoff.example.com/oauth/quickbooks/connect?portal=123',
      xero: 'https://revenue-handoff.example.com/oauth/xero/connect?portal=123',
      stripe: null,
    },
    fields: HANDOFF_FIELDS.map((f) => ({ key: f.key, label: f.label, section: f.section })),
    failedSetups: [
      {
        dealId: '9001',
        handoffId: 'h-fin',
        error: 'Xero refused the contact: the name is already used by another contact.',
        at: '2026-01-07T08:30:00.000Z',
      },
    ],
    ...over,
  };
  return SettingsViewSchema.parse(v);
}

let backend: StubbedBackend;
beforeEach(() => {
  backend = stubBackend();
});

async function renderLoaded(view: SettingsView = settingsView()) {
  backend.answer('getSettings', { body: view });
  const r = createRenderer('settings');
  r.render(<SettingsPage />);
  await r.waitFor(() => expect(r.maybeFind(LoadingSpinner)).toBeNull());
  expect(backend.calls).toEqual([expect.objectContaining({ name: 'getSettings', body: {} })]);
  return r;
}

describe('Settings page: changes made in the finance system', () => {
  it('defaults to flagging them for review, and saves the adopt policy', async () => {
    const r = await renderLoaded();
    const select = r.find(Select, { name: 'manualCorrections' });
    expect(select.props.value).toBe('flag');
    expect(select.props.options).toEqual([
      { value: 'adopt', label: 'Adopt: write the new value back to HubSpot' },
      { value: 'flag', label: 'Flag for review on the deal' },
    ]);
    fire(select, 'onChange', 'adopt');
    backend.answer('saveSettings', { body: settingsView() });
    await r.waitFor(() => expect(r.find(Select, { name: 'manualCorrections' }).props.value).toBe('adopt'));
    fire(r.findByTestId(Button, 'save-settings'), 'onClick');
    await r.waitFor(() => expect(r.maybeFind(Text, { testId: 'settings-saved' })).not.toBeNull());
    const body = (backend.callsTo('saveSettings')[0]?.body ?? {}) as { settings: Record<string, unknown> };
    expect(body.settings.manualCorrections).toBe('adopt');
  });

  it('shows the server refusing another policy next to the select', async () => {
    const r = await renderLoaded();
    backend.answer('saveSettings', {
      status: 400,
      body: {
        code: 'invalid_input',
        path: 'settings.manualCorrections',
        message: 'settings.manualCorrections: must be adopt or flag',
      },
    });
    fire(r.findByTestId(Button, 'save-settings'), 'onClick');
    await r.waitFor(() => expect(r.maybeFind(Alert, { testId: 'save-error' })).not.toBeNull());
    const select = r.find(Select, { name: 'manualCorrections' });
    expect(select.props.error).toBe(true);
    expect(select.props.validationMessage).toContain('must be adopt or flag');
  });

  it('the server names the field, the value and what it accepts', () => {
    expect(parsePortalSettings({}).manualCorrections).toBe('flag');
    expect(() => parsePortalSettings({ manualCorrections: 'ignore' })).toThrow(/manualCorrections.*adopt or flag/);
  });
});
