import { LoadingSpinner } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { expect } from '@jest/globals';
import { SettingsPage } from '../../cards/settings/SettingsPage.js';
import { type SettingsView, SettingsViewSchema } from '../../src/api/contracts.js';
import { HANDOFF_FIELDS } from '../../src/handoff/fields.js';
import { DEFAULT_CS_TO_FINANCE } from '../../src/handoff/templates/default-cs-to-finance.js';
import { DEFAULT_SALES_TO_CS } from '../../src/handoff/templates/default-sales-to-cs.js';
import { DEFAULT_PORTAL_SETTINGS } from '../../src/settings/portal-settings.js';
import type { StubbedBackend } from './backend-stub.js';

/** The settings view built from the real defaults (settings, templates, field catalog), parsed by the contract. */
export function settingsView(over: Partial<SettingsView> = {}): SettingsView {
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

/** The settings page rendered and loaded from `view`, having made exactly one backend call. */
export async function renderSettings(backend: StubbedBackend, view: SettingsView = settingsView()) {
  backend.answer('getSettings', { body: view });
  const r = createRenderer('settings');
  r.render(<SettingsPage />);
  await r.waitFor(() => expect(r.maybeFind(LoadingSpinner)).toBeNull());
  expect(backend.calls).toEqual([expect.objectContaining({ name: 'getSettings', body: {} })]);
  return r;
}
