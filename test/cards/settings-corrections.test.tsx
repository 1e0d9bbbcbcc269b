import { Alert, Button, Select, Text } from '@hubspot/ui-extensions';
import { beforeEach, describe, expect, it } from '@jest/globals';
import type { SettingsView } from '../../src/api/contracts.js';
import { parsePortalSettings } from '../../src/settings/portal-settings.js';
import { type StubbedBackend, stubBackend } from './backend-stub.js';
import { fire } from './render-helpers.js';
import { renderSettings, settingsView } from './settings-fixtures.js';

let backend: StubbedBackend;
beforeEach(() => {
  backend = stubBackend();
});

const renderLoaded = (view?: SettingsView) => renderSettings(backend, view);

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
