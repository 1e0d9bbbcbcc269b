import {
  Alert,
  Button,
  ErrorState,
  Input,
  Link,
  MultiSelect,
  NumberInput,
  StatusTag,
  Table,
  Text,
} from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { SettingsPage } from '../../cards/settings/SettingsPage.js';
import type { SettingsView } from '../../src/api/contracts.js';
import { DEFAULT_SALES_TO_CS } from '../../src/handoff/templates/default-sales-to-cs.js';
import { type StubbedBackend, stubBackend } from './backend-stub.js';
import { fire, textOf } from './render-helpers.js';
import { renderSettings, settingsView } from './settings-fixtures.js';

let backend: StubbedBackend;
beforeEach(() => {
  backend = stubBackend();
});

const renderLoaded = (view?: SettingsView) => renderSettings(backend, view);

describe('Settings page', () => {
  it('shows the finance connection with connect and reconnect links, and the failed setups', async () => {
    const r = await renderLoaded();
    expect(r.findByTestId(StatusTag, 'finance-status').text).toBe('Connected');
    expect(textOf(r.getRootNode())).toContain('Connected to Acme Demo Ltd (Xero).');
    expect(r.findByTestId(Link, 'connect-xero').text).toBe('Reconnect Xero');
    expect(r.findByTestId(Link, 'connect-quickbooks').props.href).toEqual({
      url: 'https://revenue-handoff.example.com/oauth/quickbooks/connect?portal=123',
      external: true,
    });
    expect(r.maybeFind(Link, { testId: 'connect-stripe' })).toBeNull();
    expect(textOf(r.find(Table))).toContain('Xero refused the contact');
  });

  it('a reconnect-needed connection shows its last error', async () => {
    const r = await renderLoaded(
      settingsView({
        finance: {
          connected: false,
          system: 'xero',
          displayName: 'Acme Demo Ltd (Xero)',
          status: 'reconnect_needed',
          lastError: 'Xero refused the refresh token (invalid_grant).',
        },
      }),
    );
    expect(r.findByTestId(StatusTag, 'finance-status').text).toBe('Reconnect needed');
    expect(textOf(r.getRootNode())).toContain('Last error: Xero refused the refresh token (invalid_grant).');
  });

  it('saves banner thresholds and people with their roles and teams', async () => {
    const r = await renderLoaded();
    fire(r.find(NumberInput, { name: 'dangerFromDaysPastDue' }), 'onChange', 45);
    fire(r.find(MultiSelect, { name: 'users.88.roles' }), 'onChange', ['finance', 'revops']);
    fire(r.find(Input, { name: 'newUserId' }), 'onChange', '77');
    await r.waitFor(() => expect(r.findByTestId(Button, 'add-user').props.disabled).toBe(false));
    fire(r.findByTestId(Button, 'add-user'), 'onClick');
    await r.waitFor(() => expect(r.maybeFind(Input, { name: 'users.77.teams' })).not.toBeNull());
    fire(r.find(Input, { name: 'users.77.teams' }), 'onChange', 'customer_success, sales');
    fire(r.find(MultiSelect, { name: 'users.77.roles' }), 'onChange', ['customer_success']);

    const saved = settingsView();
    backend.answer('saveSettings', { body: saved });
    await r.waitFor(() =>
      expect(r.find(Input, { name: 'users.77.teams' }).props.value).toBe('customer_success, sales'),
    );
    fire(r.findByTestId(Button, 'save-settings'), 'onClick');
    await r.waitFor(() => expect(r.maybeFind(Text, { testId: 'settings-saved' })).not.toBeNull());
    const body = (backend.callsTo('saveSettings')[0]?.body ?? {}) as { settings: Record<string, unknown> };
    expect(body.settings.bannerThresholds).toEqual({
      warningFromDaysPastDue: 1,
      dangerFromDaysPastDue: 45,
      minimumOverdue: [],
    });
    expect(body.settings.users).toEqual({
      '88': { roles: ['finance', 'revops'], teams: ['finance'] },
      '77': { roles: ['customer_success'], teams: ['customer_success', 'sales'] },
    });
  });

  it('shows the server’s validation message and path when settings are refused, next to the input', async () => {
    const r = await renderLoaded();
    fire(r.find(NumberInput, { name: 'dangerFromDaysPastDue' }), 'onChange', 0);
    backend.answer('saveSettings', {
      status: 400,
      body: {
        code: 'invalid_input',
        path: 'settings.bannerThresholds.dangerFromDaysPastDue',
        message: 'settings.bannerThresholds.dangerFromDaysPastDue: must be at least warningFromDaysPastDue (1)',
      },
    });
    await r.waitFor(() => expect(r.find(NumberInput, { name: 'dangerFromDaysPastDue' }).props.value).toBe(0));
    fire(r.findByTestId(Button, 'save-settings'), 'onClick');
    await r.waitFor(() => expect(r.maybeFind(Alert, { testId: 'save-error' })).not.toBeNull());
    const alert = r.findByTestId(Alert, 'save-error');
    expect(alert.props.title).toBe('Not saved');
    expect(textOf(alert)).toContain('must be at least warningFromDaysPastDue (1)');
    expect(textOf(alert)).toContain('At: settings.bannerThresholds.dangerFromDaysPastDue');
    const input = r.find(NumberInput, { name: 'dangerFromDaysPastDue' });
    expect(input.props.error).toBe(true);
    // What the admin typed stays, so it can be fixed.
    expect(input.props.value).toBe(0);
  });

  it('edits a template (required fields, reasons, SLA, exception owner) and shows a refusal at its field', async () => {
    const r = await renderLoaded();
    const required = r.find(MultiSelect, { name: 'requiredFields' });
    expect(required.props.value).toEqual(
      DEFAULT_SALES_TO_CS.requiredFields.filter((f) => f.required === 'always').map((f) => f.field),
    );
    fire(r.find(NumberInput, { name: 'sla.hours' }), 'onChange', 0);
    backend.answer(
      'saveTemplate',
      {
        status: 400,
        body: {
          code: 'invalid_input',
          path: 'template.sla.hours',
          message: 'template.sla.hours: must be more than 0 hours',
        },
      },
      { once: true },
    );
    await r.waitFor(() => expect(r.find(NumberInput, { name: 'sla.hours' }).props.value).toBe(0));
    fire(r.findByTestId(Button, 'save-template'), 'onClick');
    await r.waitFor(() => expect(r.find(NumberInput, { name: 'sla.hours' }).props.error).toBe(true));
    expect(r.find(NumberInput, { name: 'sla.hours' }).props.validationMessage).toBe(
      'template.sla.hours: must be more than 0 hours',
    );
    expect(textOf(r.findByTestId(Alert, 'save-error'))).toContain('At: template.sla.hours');

    fire(r.find(NumberInput, { name: 'sla.hours' }), 'onChange', 8);
    fire(r.find(Input, { name: 'rejectionReasons[0].label' }), 'onChange', 'Goals unclear');
    backend.answer('saveTemplate', { body: settingsView() });
    await r.waitFor(() => expect(r.find(NumberInput, { name: 'sla.hours' }).props.value).toBe(8));
    fire(r.findByTestId(Button, 'save-template'), 'onClick');
    await r.waitFor(() => expect(r.maybeFind(Text, { testId: 'template-saved' })).not.toBeNull());
    const calls = backend.callsTo('saveTemplate');
    expect(calls).toHaveLength(2);
    const template = calls[1]?.body.template as Record<string, unknown>;
    expect(template.id).toBe(DEFAULT_SALES_TO_CS.id);
    expect(template.sla).toMatchObject({ hours: 8, calendar: DEFAULT_SALES_TO_CS.sla.calendar });
    expect((template.rejectionReasons as Array<{ label: string }>)[0]?.label).toBe('Goals unclear');
    expect(template.requiredFields).toEqual(JSON.parse(JSON.stringify(DEFAULT_SALES_TO_CS.requiredFields)));
    expect(r.maybeFind(Alert, { testId: 'save-error' })).toBeNull();
  });

  it('a load failure offers Retry', async () => {
    backend.answer(
      'getSettings',
      { status: 403, body: { code: 'forbidden', message: 'Only super admins can change Revenue Handoff settings.' } },
      { once: true },
    );
    backend.answer('getSettings', { body: settingsView() });
    const r = createRenderer('settings');
    r.render(<SettingsPage />);
    await r.waitFor(() => expect(r.maybeFind(ErrorState)).not.toBeNull());
    expect(textOf(r.find(ErrorState))).toContain('Only super admins can change Revenue Handoff settings.');
    fire(r.findByTestId(Button, 'retry'), 'onClick');
    await r.waitFor(() => expect(r.maybeFind(StatusTag, { testId: 'finance-status' })).not.toBeNull());
    expect(backend.callsTo('getSettings')).toHaveLength(2);
  });
});

describe('SettingsPage: connecting Stripe with an API key', () => {
  const notConnected = () =>
    settingsView({
      finance: { connected: false, system: null, displayName: null, status: 'not_connected', lastError: null },
    });

  it('sends the key, clears it, and shows the webhook URL to register in Stripe', async () => {
    const r = await renderLoaded(notConnected());
    const connect = () => r.findByTestId(Button, 'connect-stripe-key');
    expect(connect().props.disabled).toBe(true);
    fire(r.find(Input, { name: 'stripe.secretKey' }), 'onChange', 'sk_test_abc123');
    fire(r.find(Input, { name: 'stripe.webhookSecret' }), 'onChange', 'whsec_xyz');
    await r.waitFor(() => expect(connect().props.disabled).toBe(false));
    backend.answer('connectStripe', {
      body: settingsView({
        finance: { connected: true, system: 'stripe', displayName: 'Stripe', status: 'connected', lastError: null },
        stripeWebhookUrl: 'https://revenue-handoff.example.com/webhooks/stripe/7c1',
      }),
    });
    fire(connect(), 'onClick');
    await r.waitFor(() => expect(r.maybeFind(Text, { testId: 'stripe-webhook-url' })).not.toBeNull());
    expect(backend.callsTo('connectStripe')[0]?.body).toEqual({
      secretKey: 'sk_test_abc123',
      webhookSecret: 'whsec_xyz',
    });
    expect(textOf(r.findByTestId(Text, 'stripe-webhook-url'))).toContain('/webhooks/stripe/7c1');
    await r.waitFor(() => expect(r.find(Input, { name: 'stripe.secretKey' }).props.value).toBe(''));
    expect(textOf(r.findByTestId(StatusTag, 'finance-status'))).toBe('Connected');
  });

  it('says why Stripe refused the key, and keeps it in the form to fix', async () => {
    const r = await renderLoaded(notConnected());
    fire(r.find(Input, { name: 'stripe.secretKey' }), 'onChange', 'sk_test_wrong');
    backend.answer('connectStripe', {
      status: 400,
      body: { code: 'invalid_input', path: 'secretKey', message: 'Stripe refused this key: Invalid API Key provided' },
    });
    await r.waitFor(() => expect(r.findByTestId(Button, 'connect-stripe-key').props.disabled).toBe(false));
    fire(r.findByTestId(Button, 'connect-stripe-key'), 'onClick');
    await r.waitFor(() => expect(r.maybeFind(Text, { testId: 'stripe-key-error' })).not.toBeNull());
    expect(textOf(r.findByTestId(Text, 'stripe-key-error'))).toContain('secretKey: Stripe refused this key');
    expect(r.find(Input, { name: 'stripe.secretKey' }).props.value).toBe('sk_test_wrong');
  });
});
