import {
  Alert,
  DescriptionList,
  DescriptionListItem,
  Divider,
  EmptyState,
  Flex,
  Link,
  Statistics,
  StatisticsItem,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Tag,
  Text,
} from '@hubspot/ui-extensions';
import type { PaymentStatusView } from '../../src/api/contracts.js';
import { financeSystemName } from '../../src/core/finance-systems.js';
import { alertVariant } from '../../src/receivables/risk.js';
import { day, days, instant, money } from '../shared/format.js';
import { settingsUrl } from '../shared/hubspot-urls.js';
import { ErrorView, LoadingView } from '../shared/StateViews.js';
import { useBackend } from '../shared/use-backend.js';
import { PostMortems } from './PostMortems.js';
import { STRINGS } from './strings.js';

export type PaymentRecord = { objectType: 'company' | 'deal'; objectId: string };

const OBJECT_TYPES: Record<string, PaymentRecord['objectType']> = {
  '0-2': 'company',
  company: 'company',
  COMPANY: 'company',
  '0-3': 'deal',
  deal: 'deal',
  DEAL: 'deal',
};

/**
 * The record a card instance sits on, from HubSpot's context (`0-2` companies, `0-3` deals); null elsewhere.
 * @example recordOf({ objectTypeId: '0-3', objectId: 42 }) // { objectType: 'deal', objectId: '42' }
 */
export function recordOf(crm: { objectTypeId: string; objectId: number | string }): PaymentRecord | null {
  const objectType = OBJECT_TYPES[crm.objectTypeId];
  return objectType ? { objectType, objectId: String(crm.objectId) } : null;
}

export interface PaymentStatusProps {
  record: PaymentRecord | null;
  portalId: number;
  appId?: number | string | undefined;
}

/** The payment-status sidebar card for companies and deals. One `getPaymentStatus` call per load. */
export function PaymentStatus({ record, portalId, appId }: PaymentStatusProps) {
  if (!record) {
    return (
      <EmptyState title={STRINGS.wrongRecordTitle} layout="vertical" imageName="companies">
        <Text>{STRINGS.wrongRecordText}</Text>
      </EmptyState>
    );
  }
  return <PaymentStatusLoaded record={record} settings={settingsUrl(portalId, appId)} />;
}

function PaymentStatusLoaded({ record, settings }: { record: PaymentRecord; settings: string }) {
  const backend = useBackend('getPaymentStatus', record);
  const { state } = backend;
  if (state.status === 'loading') return <LoadingView label={STRINGS.loading} />;
  if (state.status === 'error') {
    return <ErrorView error={state.error} onRetry={backend.reload} title={STRINGS.loadErrorTitle} />;
  }
  return <PaymentStatusBody view={state.data} settings={settings} />;
}

function PaymentStatusBody({ view, settings }: { view: PaymentStatusView; settings: string }) {
  const system = view.finance.system ? financeSystemName(view.finance.system) : '';
  const settingsLink = (
    <Link href={{ url: settings, external: true }} testId="settings-link">
      {STRINGS.openSettings}
    </Link>
  );

  if (view.finance.status === 'not_connected' || view.finance.status === 'disconnected') {
    return (
      <EmptyState title={STRINGS.notConnectedTitle} layout="vertical" imageName="integrations" testId="not-connected">
        <Text>{STRINGS.notConnectedText}</Text>
        {settingsLink}
      </EmptyState>
    );
  }
  const reconnect =
    view.finance.status === 'reconnect_needed' ? (
      <Alert
        title={STRINGS.reconnectTitle(view.finance.displayName ?? (system || STRINGS.financeFallbackName))}
        variant="warning"
        testId="reconnect"
      >
        <Text>{STRINGS.reconnectText}</Text>
        {settingsLink}
      </Alert>
    ) : null;

  if (!view.company) {
    return (
      <Flex direction="column" gap="sm">
        {reconnect}
        <EmptyState title={STRINGS.noCompanyTitle} layout="vertical" imageName="companies" testId="empty">
          <Text>{STRINGS.noCompanyText}</Text>
        </EmptyState>
      </Flex>
    );
  }
  if (!view.banner && view.statistics.length === 0 && view.openInvoices.length === 0 && !view.lastPayment) {
    return (
      <Flex direction="column" gap="sm">
        {reconnect}
        <EmptyState title={STRINGS.notLinkedTitle} layout="vertical" imageName="companies" testId="empty">
          <Text>{STRINGS.notLinkedText(view.company.name, system || STRINGS.financeFallbackName)}</Text>
          {view.note ? <Text variant="microcopy">{view.note}</Text> : null}
        </EmptyState>
      </Flex>
    );
  }

  return (
    <Flex direction="column" gap="sm">
      {reconnect}
      {view.banner ? (
        <Alert title={view.banner.title} variant={alertVariant(view.banner.severity)} testId="banner">
          {view.banner.message}
        </Alert>
      ) : null}
      {view.banner?.creditHold ? (
        <Tag variant="error" testId="credit-hold">
          {STRINGS.creditHold}
        </Tag>
      ) : null}

      {view.statistics.map((s) => (
        <Flex key={s.currency} direction="column" gap="xs" testId={`currency-${s.currency}`}>
          {view.statistics.length > 1 ? (
            <Text format={{ fontWeight: 'demibold' }}>{STRINGS.currencyHeading(s.currency)}</Text>
          ) : null}
          <Statistics>
            <StatisticsItem label={STRINGS.outstanding} number={money(s.outstanding)} />
            <StatisticsItem label={STRINGS.overdue} number={money(s.overdue)} />
            <StatisticsItem label={STRINGS.dso} number={days(s.dsoDays)} />
          </Statistics>
          <DescriptionList direction="row">
            <DescriptionListItem label={STRINGS.buckets.current}>{money(s.buckets.current)}</DescriptionListItem>
            <DescriptionListItem label={STRINGS.buckets.days_1_30}>{money(s.buckets.days_1_30)}</DescriptionListItem>
            <DescriptionListItem label={STRINGS.buckets.days_31_60}>{money(s.buckets.days_31_60)}</DescriptionListItem>
            <DescriptionListItem label={STRINGS.buckets.days_61_90}>{money(s.buckets.days_61_90)}</DescriptionListItem>
            <DescriptionListItem label={STRINGS.buckets.days_over_90}>
              {money(s.buckets.days_over_90)}
            </DescriptionListItem>
          </DescriptionList>
        </Flex>
      ))}
      {view.averageDaysToPay !== null ? (
        <Statistics>
          <StatisticsItem label={STRINGS.averageDaysToPay} number={days(view.averageDaysToPay)} />
        </Statistics>
      ) : null}

      <Divider />
      <Text format={{ fontWeight: 'demibold' }}>{STRINGS.openInvoices}</Text>
      {view.openInvoices.length === 0 ? (
        <Text variant="microcopy">{STRINGS.noOpenInvoices}</Text>
      ) : (
        <Table density="compact" testId="open-invoices">
          <TableHead>
            <TableRow>
              <TableHeader>{STRINGS.invoice}</TableHeader>
              <TableHeader>{STRINGS.due}</TableHeader>
              <TableHeader align="right">{STRINGS.amountDue}</TableHeader>
              <TableHeader align="right">{STRINGS.daysPastDue}</TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {view.openInvoices.map((inv) => (
              <TableRow key={inv.id}>
                <TableCell>
                  {inv.url ? <Link href={{ url: inv.url, external: true }}>{inv.number}</Link> : inv.number}
                </TableCell>
                <TableCell>{day(inv.dueDate)}</TableCell>
                <TableCell align="right">{money(inv.amountDue)}</TableCell>
                <TableCell align="right">{inv.daysPastDue > 0 ? String(inv.daysPastDue) : STRINGS.notYetDue}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <Text testId="last-payment">
        {view.lastPayment
          ? STRINGS.lastPayment(
              money(view.lastPayment.amount),
              day(view.lastPayment.on),
              view.lastPayment.invoiceNumber,
            )
          : STRINGS.noPayment}
      </Text>
      {view.customerUrl ? (
        <Link href={{ url: view.customerUrl, external: true }} testId="finance-customer">
          {STRINGS.openCustomer(system || STRINGS.financeFallbackName)}
        </Link>
      ) : null}
      <PostMortems items={view.postMortems ?? []} />
      <Text variant="microcopy" testId="as-of">
        {view.asOf ? STRINGS.asOf(instant(view.asOf)) : STRINGS.neverRefreshed}
      </Text>
      {view.note ? <Text variant="microcopy">{view.note}</Text> : null}
    </Flex>
  );
}
