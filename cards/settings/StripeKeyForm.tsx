import { Button, Flex, Input, Text } from '@hubspot/ui-extensions';
import { useState } from 'react';
import type { SettingsView } from '../../src/api/contracts.js';
import type { BackendError } from '../shared/api-client.js';
import { STRINGS } from './strings.js';

export interface StripeKeyFormProps {
  view: SettingsView;
  connect: (input: { secretKey: string; webhookSecret?: string }) => Promise<boolean>;
  busy: boolean;
  error: BackendError | null;
}

/**
 * Stripe connects with an API key rather than OAuth: the admin pastes a secret (or restricted) key and, optionally,
 * the signing secret of the webhook endpoint; the server checks the key with one read before storing it encrypted,
 * and answers the webhook URL to register in Stripe. The key never stays in the form after a connect.
 */
export function StripeKeyForm({ view, connect, busy, error }: StripeKeyFormProps) {
  const S = STRINGS.stripe;
  const [secretKey, setSecretKey] = useState('');
  const [webhookSecret, setWebhookSecret] = useState('');
  const submit = async () => {
    const ok = await connect({
      secretKey: secretKey.trim(),
      ...(webhookSecret.trim() ? { webhookSecret: webhookSecret.trim() } : {}),
    });
    if (ok) {
      setSecretKey('');
      setWebhookSecret('');
    }
  };
  return (
    <Flex direction="column" gap="xs" testId="stripe-key-form">
      <Text format={{ fontWeight: 'demibold' }}>{S.heading}</Text>
      <Flex direction="row" gap="sm" align="end" wrap>
        <Input
          name="stripe.secretKey"
          label={S.secretKey}
          placeholder="sk_live_… or rk_live_…"
          value={secretKey}
          onChange={(v) => setSecretKey(v)}
        />
        <Input
          name="stripe.webhookSecret"
          label={S.webhookSecret}
          placeholder="whsec_…"
          value={webhookSecret}
          onChange={(v) => setWebhookSecret(v)}
        />
        <Button disabled={busy || secretKey.trim() === ''} onClick={() => void submit()} testId="connect-stripe-key">
          {S.connect}
        </Button>
      </Flex>
      {error ? (
        <Text variant="microcopy" testId="stripe-key-error">
          {error.path ? `${error.path}: ${error.message}` : error.message}
        </Text>
      ) : null}
      {view.stripeWebhookUrl ? (
        <Text variant="microcopy" testId="stripe-webhook-url">
          {S.registerWebhook(view.stripeWebhookUrl)}
        </Text>
      ) : null}
    </Flex>
  );
}
