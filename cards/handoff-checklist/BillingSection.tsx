import {
  Alert,
  Button,
  Divider,
  Flex,
  Heading,
  Link,
  StatusTag,
  Table,
  TableBody,
  TableCell,
  TableFooter,
  TableHead,
  TableHeader,
  TableRow,
  Text,
  Tile,
} from '@hubspot/ui-extensions';
import type { BillingView, HandoffCard, HandoffView } from '../../src/api/contracts.js';
import { financeSystemName } from '../../src/core/finance-systems.js';
import { day, instant, money } from '../shared/format.js';
import type { Backend } from '../shared/use-backend.js';
import { CorrectionsSection } from './CorrectionsSection.js';
import { HeldInvoiceActions } from './HeldInvoiceActions.js';
import { STRINGS } from './strings.js';

const B = STRINGS.billing;

const STATUS_VARIANT = {
  not_started: 'default',
  pending: 'info',
  running: 'info',
  live: 'success',
  failed: 'danger',
} as const;

type PreviewInvoice = NonNullable<BillingView['preview']>['invoices'][number];

function describe(inv: PreviewInvoice): string {
  const first = inv.lines[0]?.description ?? '';
  const more = inv.lines.length - 1;
  return `${inv.document === 'credit_note' ? `${B.creditNote}: ` : ''}${first}${more > 0 ? B.moreLines(more) : ''}`;
}

function issueText(inv: PreviewInvoice): string {
  if (inv.issueDate) return day(inv.issueDate);
  if (inv.trigger === 'milestone') return B.onMilestone(day(inv.expectedDate));
  return B.onAcceptance;
}

type Preview = NonNullable<BillingView['preview']>;

/** The preview when lines carry tax: net, tax and gross of each invoice and of the contract, in the deal's currency. */
function TaxedPreview({ preview, tax }: { preview: Preview; tax: NonNullable<Preview['tax']> }) {
  const byKey = new Map(tax.invoices.map((t) => [t.key, t]));
  return (
    <Flex direction="column" gap="xs">
      <Table bordered density="condensed" testId="billing-preview">
        <TableHead>
          <TableRow>
            <TableHeader>{B.issueDate}</TableHeader>
            <TableHeader>{B.description}</TableHeader>
            <TableHeader align="right">{B.net}</TableHeader>
            <TableHeader align="right">{B.tax}</TableHeader>
            <TableHeader align="right">{B.gross}</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {preview.invoices.map((inv) => {
            const t = byKey.get(inv.key);
            return (
              <TableRow key={inv.key}>
                <TableCell>{issueText(inv)}</TableCell>
                <TableCell>
                  {describe(inv)}
                  {t?.codes.length ? ` · ${t.codes.join(', ')}` : ''}
                </TableCell>
                <TableCell align="right">{t ? money(t.net) : ''}</TableCell>
                <TableCell align="right">{t ? money(t.tax) : ''}</TableCell>
                <TableCell align="right">{t ? money(t.gross) : money(inv.total)}</TableCell>
              </TableRow>
            );
          })}
        </TableBody>
        <TableFooter>
          <TableRow>
            <TableCell colSpan={2}>{B.contractValue}</TableCell>
            <TableCell align="right">{money(tax.net)}</TableCell>
            <TableCell align="right">{money(tax.tax)}</TableCell>
            <TableCell align="right">{money(tax.gross)}</TableCell>
          </TableRow>
        </TableFooter>
      </Table>
      <Text variant="microcopy">{B.taxRounding[tax.rounding]}</Text>
    </Flex>
  );
}

export interface BillingSectionProps {
  view: HandoffView;
  backend: Pick<Backend<HandoffView>, 'act' | 'busy'>;
}

/** Billing status, the finance system link once live, the vendor's error with a retry, and the invoice preview. */
export function BillingSection({ view, backend }: BillingSectionProps) {
  const billing = view.billing;
  const systemName = billing.system ? financeSystemName(billing.system) : '';
  // The finance handoff carries billing; only a user it allows gets the retry.
  const retryable: HandoffCard | undefined = view.handoffs.find((h) => h.can.retryBilling);
  return (
    <Tile testId="billing">
      <Flex direction="column" gap="sm">
        <Flex direction="row" justify="between" align="center">
          <Heading>{B.heading}</Heading>
          <StatusTag variant={STATUS_VARIANT[billing.status]} testId="billing-status">
            {B.status[billing.status]}
            {systemName ? ` · ${systemName}` : ''}
          </StatusTag>
        </Flex>
        {!view.finance.connected ? <Text variant="microcopy">{B.notConnected}</Text> : null}
        {billing.status === 'live' && billing.customerUrl ? (
          <Link href={{ url: billing.customerUrl, external: true }} testId="finance-customer">
            {B.openCustomer(systemName)}
          </Link>
        ) : null}
        {billing.status === 'failed' ? (
          <Alert title={B.failedTitle} variant="danger" testId="billing-error">
            <Flex direction="column" gap="xs">
              {billing.error ? <Text>{billing.error.message}</Text> : null}
              {billing.error ? <Text variant="microcopy">{B.failedAt(instant(billing.error.at))}</Text> : null}
              {retryable ? (
                <Button
                  disabled={backend.busy !== null}
                  onClick={() =>
                    void backend.act('syncBillingSetup', { dealId: view.deal.id, handoffId: retryable.id })
                  }
                  testId="retry-billing"
                >
                  {B.retry}
                </Button>
              ) : null}
            </Flex>
          </Alert>
        ) : null}
        <CorrectionsSection view={view} backend={backend} />

        <Divider />
        <Text format={{ fontWeight: 'demibold' }}>{B.previewHeading}</Text>
        {billing.preview?.tax ? (
          <TaxedPreview preview={billing.preview} tax={billing.preview.tax} />
        ) : billing.preview ? (
          <Table bordered density="condensed" testId="billing-preview">
            <TableHead>
              <TableRow>
                <TableHeader>{B.issueDate}</TableHeader>
                <TableHeader>{B.dueDate}</TableHeader>
                <TableHeader>{B.description}</TableHeader>
                <TableHeader align="right">{B.total}</TableHeader>
              </TableRow>
            </TableHead>
            <TableBody>
              {billing.preview.invoices.map((inv) => (
                <TableRow key={inv.key}>
                  <TableCell>{issueText(inv)}</TableCell>
                  <TableCell>{day(inv.dueDate)}</TableCell>
                  <TableCell>{describe(inv)}</TableCell>
                  <TableCell align="right">{money(inv.total)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
            <TableFooter>
              <TableRow>
                <TableCell colSpan={3}>{B.contractValue}</TableCell>
                <TableCell align="right">{money(billing.preview.contractValue)}</TableCell>
              </TableRow>
            </TableFooter>
          </Table>
        ) : (
          <Text variant="microcopy" testId="billing-preview-note">
            {billing.previewNote ?? ''}
          </Text>
        )}

        {billing.invoices.length > 0 ? (
          <Flex direction="column" gap="xs">
            <Text format={{ fontWeight: 'demibold' }}>{B.createdHeading}</Text>
            <Table density="condensed" testId="billing-invoices">
              <TableBody>
                {billing.invoices.map((inv) => (
                  <TableRow key={inv.key}>
                    <TableCell>{day(inv.issueDate)}</TableCell>
                    <TableCell>{B.invoiceStatus[inv.status]}</TableCell>
                    <TableCell align="right">{money(inv.total)}</TableCell>
                    <TableCell>
                      {inv.url ? <Link href={{ url: inv.url, external: true }}>{B.open}</Link> : null}
                      {inv.estimate && inv.status === 'scheduled' ? (
                        inv.estimate.url && inv.estimate.status === 'open' ? (
                          <Link href={{ url: inv.estimate.url, external: true }} testId={`estimate-${inv.key}`}>
                            {B.estimate(inv.estimate.number, inv.estimate.status)}
                          </Link>
                        ) : (
                          <Text variant="microcopy" testId={`estimate-${inv.key}`}>
                            {B.estimate(inv.estimate.number, inv.estimate.status)}
                          </Text>
                        )
                      ) : null}
                      {inv.canCancel || inv.canMarkAccepted ? (
                        <HeldInvoiceActions view={view} invoice={inv} backend={backend} />
                      ) : null}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Flex>
        ) : null}
      </Flex>
    </Tile>
  );
}
