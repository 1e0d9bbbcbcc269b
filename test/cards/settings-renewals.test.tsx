import { Button, Input, LoadingSpinner, NumberInput, Text, Toggle } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { SettingsPage } from '../../cards/settings/SettingsPage.js';
import { type SettingsView, SettingsViewSchema } from '../../src/api/contracts.js';
import { HANDOFF_FIELDS } from '../../src/handoff/fields.js';
import { DEFAULT_CS_TO_SALES_RENEWAL } from '../../src/handoff/templates/default-cs-to-sales-renewal.js';
import { DEFAULT_PORTAL_SETTINGS } from '../../src/settings/portal-settings.js';
import { type StubbedBackend, stubBackend } from './backend-stub.js';
import { fire, textOf } from './render-helpers.js';

function settingsView(): SettingsView {
  return SettingsViewSchema.parse({
    settings: JSON.parse(JSON.stringify(DEFAULT_PORTAL_SETTINGS)),
    templates: JSON.parse(JSON.stringify([DEFAULT_CS_TO_SALES_RENEWAL])),
    finance: { connected: false, system: null, displayName: null, status: 'not_connected', lastError: null },
    connectUrls: { quickbooks: null, xero: null, stripe: null },
    fields: HANDOFF_FIELDS.map((f) => ({ key: f.key, label: f.label, section: f.section })),
    failedSetups: [],
  });
}

let backend: StubbedBackend;
beforeEach(() => {
  backend = stubBackend();
});

async function renderLoaded() {
  backend.answer('getSettings', { body: settingsView() });
  const r = createRenderer('settings');
  r.render(<SettingsPage />);
  await r.waitFor(() => expect(r.maybeFind(LoadingSpinner)).toBeNull());
  return r;
}

describe('Settings page: renewal handoff', () => {
  it('shows the defaults (90 days, reminders at 60 and 30, no renewal deal) and saves a renewal deal in a pipeline and stage', async () => {
    const r = await renderLoaded();
    expect(textOf(r.getRootNode())).toContain('Renewal handoff to sales');
    expect(r.find(NumberInput, { name: 'renewals.leadDays' }).props.value).toBe(90);
    expect(r.find(Input, { name: 'renewals.reminderDays' }).props.value).toBe('60, 30');
    expect(r.find(Toggle, { name: 'renewals.createDeal' }).props.checked).toBe(false);
    expect(r.maybeFind(Input, { name: 'renewals.pipelineId' })).toBeNull();

    fire(r.find(NumberInput, { name: 'renewals.leadDays' }), 'onChange', 120);
    fire(r.find(Input, { name: 'renewals.reminderDays' }), 'onChange', '90, 45, 14');
    fire(r.find(Toggle, { name: 'renewals.createDeal' }), 'onChange', true);
    await r.waitFor(() => expect(r.maybeFind(Input, { name: 'renewals.pipelineId' })).not.toBeNull());
    fire(r.find(Input, { name: 'renewals.pipelineId' }), 'onChange', 'renewals');
    fire(r.find(Input, { name: 'renewals.stageId' }), 'onChange', 'renewal-open');
    await r.waitFor(() => expect(r.find(Input, { name: 'renewals.stageId' }).props.value).toBe('renewal-open'));

    backend.answer('saveSettings', { body: settingsView() });
    fire(r.findByTestId(Button, 'save-settings'), 'onClick');
    await r.waitFor(() => expect(r.maybeFind(Text, { testId: 'settings-saved' })).not.toBeNull());
    const body = (backend.callsTo('saveSettings')[0]?.body ?? {}) as { settings: Record<string, unknown> };
    expect(body.settings.renewals).toEqual({
      leadDays: 120,
      reminderDays: [90, 45, 14],
      createDeal: true,
      pipelineId: 'renewals',
      stageId: 'renewal-open',
    });
  });

  it('shows the server’s refusal of a reminder the lead cannot hold next to the reminders', async () => {
    const r = await renderLoaded();
    fire(r.find(Input, { name: 'renewals.reminderDays' }), 'onChange', '120, 30');
    backend.answer('saveSettings', {
      status: 400,
      body: {
        code: 'invalid_input',
        path: 'settings.renewals.reminderDays[0]',
        message:
          "settings.renewals.reminderDays[0]: 120 is not fewer days than the handoff's lead of 90: a reminder comes after the handoff (accepted: 1–89)",
      },
    });
    await r.waitFor(() => expect(r.find(Input, { name: 'renewals.reminderDays' }).props.value).toBe('120, 30'));
    fire(r.findByTestId(Button, 'save-settings'), 'onClick');
    await r.waitFor(() => expect(r.find(Input, { name: 'renewals.reminderDays' }).props.error).toBe(true));
    expect(r.find(Input, { name: 'renewals.reminderDays' }).props.validationMessage).toContain('accepted: 1–89');
  });
});
