import {
  BarChart,
  Divider,
  EmptyState,
  Flex,
  Heading,
  Statistics,
  StatisticsItem,
  StatusTag,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Text,
  Tile,
} from '@hubspot/ui-extensions';
import type { MetricsView } from '../../src/api/contracts.js';
import type { DurationStats } from '../../src/metrics/readiness.js';
import type { RevenueReadinessReport } from '../../src/metrics/revenue-readiness.js';
import { CountBarChart } from '../shared/CountBarChart.js';
import { days, instant, money, percent } from '../shared/format.js';
import { ErrorView, LoadingView } from '../shared/StateViews.js';
import { useBackend } from '../shared/use-backend.js';
import { MonthlyAuditSection } from './MonthlyAudit.js';
import { STRINGS } from './strings.js';

/** The contract keeps the report's parts loose; their shape is the metrics core's report type. */
function reportOf(view: MetricsView): RevenueReadinessReport {
  return view as unknown as RevenueReadinessReport;
}

const SEVERITY_VARIANT = { danger: 'danger', warning: 'warning', info: 'info', success: 'success' } as const;

/** The app home page: revenue-readiness metrics for the portal. One `getMetrics` call per load. */
export function Home() {
  const backend = useBackend('getMetrics', {});
  const { state } = backend;
  if (state.status === 'loading') return <LoadingView label={STRINGS.loading} />;
  if (state.status === 'error') {
    return <ErrorView error={state.error} onRetry={backend.reload} title={STRINGS.loadErrorTitle} />;
  }
  return <MetricsBody report={reportOf(state.data)} />;
}

function MetricsBody({ report }: { report: RevenueReadinessReport }) {
  const { readiness, lateInvoices, receivables, atRisk, handoffs } = report;
  const nothing =
    readiness.dealCount === 0 &&
    handoffs.handoffCount === 0 &&
    receivables.currencies.length === 0 &&
    lateInvoices.consideredCount === 0;
  const header = (
    <Flex direction="column" gap="xs">
      <Heading>{STRINGS.title}</Heading>
      <Text variant="microcopy">{STRINGS.asOf(instant(report.generatedAt), report.timeZone)}</Text>
    </Flex>
  );
  if (nothing) {
    return (
      <Flex direction="column" gap="md">
        {header}
        <EmptyState title={STRINGS.emptyTitle} layout="vertical" imageName="emptyStateCharts" testId="empty">
          <Text>{STRINGS.emptyText}</Text>
        </EmptyState>
      </Flex>
    );
  }

  const R = STRINGS.readiness;
  const steps: Array<[string, DurationStats]> = [
    [R.closeToBillingLive, readiness.closeToBillingLive],
    [R.billingLiveToFirstInvoice, readiness.billingLiveToFirstInvoice],
    [R.closeToFirstInvoice, readiness.closeToFirstInvoice],
  ];
  // Median and p90 side by side per step read better as bars than as a table of six numbers.
  const readinessRows = steps.flatMap(([step, s]) => [
    ...(s.medianDays !== null ? [{ step, measure: R.median, days: s.medianDays }] : []),
    ...(s.p90Days !== null ? [{ step, measure: R.p90, days: s.p90Days }] : []),
  ]);
  const H = STRINGS.handoffs;
  const breaches = handoffs.slaBreaches;

  return (
    <Flex direction="column" gap="md">
      {header}
      <Tile testId="readiness">
        <Flex direction="column" gap="sm">
          <Heading>{R.heading}</Heading>
          <Statistics>
            {steps.map(([label, s]) => (
              <StatisticsItem key={label} label={R.medianDays(label)} number={days(s.medianDays)} />
            ))}
          </Statistics>
          <Statistics>
            <StatisticsItem label={R.awaitingBilling} number={readiness.awaitingBillingSetup} />
            <StatisticsItem label={R.awaitingInvoice} number={readiness.awaitingFirstInvoice} />
          </Statistics>
          {readinessRows.length > 0 ? (
            <BarChart
              testId="readiness-chart"
              data={readinessRows}
              axes={{
                x: { field: 'step', fieldType: 'category', label: R.step },
                y: { field: 'days', fieldType: 'linear', label: R.days },
                options: { groupFieldByColor: 'measure' },
              }}
              options={{ title: R.chartTitle, showLegend: true, showDataLabels: true }}
            />
          ) : null}
        </Flex>
      </Tile>

      <Tile testId="invoices">
        <Flex direction="column" gap="sm">
          <Heading>{STRINGS.invoices.heading}</Heading>
          <Statistics>
            <StatisticsItem
              label={STRINGS.invoices.late(lateInvoices.lateAfterHours)}
              number={STRINGS.invoices.lateValue(
                lateInvoices.lateCount,
                lateInvoices.consideredCount,
                percent(lateInvoices.lateShare),
              )}
            />
            <StatisticsItem
              label={STRINGS.invoices.corrections}
              number={STRINGS.invoices.correctionsValue(
                lateInvoices.manualCorrections.count,
                percent(lateInvoices.manualCorrections.share),
              )}
            />
          </Statistics>
        </Flex>
      </Tile>

      {receivables.currencies.map((c) => (
        <Tile key={c.currency} testId={`receivables-${c.currency}`}>
          <Flex direction="column" gap="sm">
            <Heading>{STRINGS.receivables.heading(c.currency)}</Heading>
            <Statistics>
              <StatisticsItem label={STRINGS.receivables.overdueShare} number={percent(c.overdueShare)} />
              <StatisticsItem label={STRINGS.receivables.dso} number={days(c.dso?.days ?? null)} />
              <StatisticsItem label={STRINGS.receivables.outstanding} number={money(c.outstanding)} />
              <StatisticsItem label={STRINGS.receivables.overdue} number={money(c.overdue)} />
              <StatisticsItem label={STRINGS.receivables.customersOverdue} number={c.customersOverdue} />
            </Statistics>
          </Flex>
        </Tile>
      ))}

      <Tile testId="handoffs">
        <Flex direction="column" gap="sm">
          <Heading>{H.heading}</Heading>
          <Statistics>
            <StatisticsItem label={H.acceptance} number={percent(handoffs.acceptanceRate)} />
            <StatisticsItem label={H.firstPass} number={percent(handoffs.firstPassAcceptanceRate)} />
            <StatisticsItem label={H.breaches} number={H.breachesValue(breaches.count, breaches.stillOpen)} />
            <StatisticsItem label={H.pending} number={handoffs.pendingCount} />
          </Statistics>
          <CountBarChart
            testId="rejections-chart"
            category="reason"
            rows={handoffs.rejectionReasons.map((r) => ({ key: r.reason, count: r.count }))}
            categoryLabel={H.reason}
            countLabel={H.count}
            title={H.reasonsTitle}
          />
        </Flex>
      </Tile>

      {atRisk.map((list) => (
        <Tile key={list.currency} testId={`at-risk-${list.currency}`}>
          <Flex direction="column" gap="sm">
            <Heading>{STRINGS.atRisk.heading(list.currency)}</Heading>
            {list.accounts.length === 0 ? (
              <Text variant="microcopy">{STRINGS.atRisk.none}</Text>
            ) : (
              <Table density="condensed">
                <TableHead>
                  <TableRow>
                    <TableHeader>{STRINGS.atRisk.account}</TableHeader>
                    <TableHeader>{STRINGS.atRisk.risk}</TableHeader>
                    <TableHeader align="right">{STRINGS.atRisk.daysPastDue}</TableHeader>
                    <TableHeader align="right">{STRINGS.atRisk.overdue}</TableHeader>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {list.accounts.map((a) => (
                    <TableRow key={a.customerId}>
                      <TableCell>{a.name ?? a.customerId}</TableCell>
                      <TableCell>
                        <StatusTag variant={SEVERITY_VARIANT[a.severity]}>
                          {STRINGS.atRisk.severity[a.severity] ?? a.severity}
                          {a.creditHold ? ` · ${STRINGS.atRisk.creditHold}` : ''}
                        </StatusTag>
                      </TableCell>
                      <TableCell align="right">{String(a.daysPastDue)}</TableCell>
                      <TableCell align="right">{money(a.overdue)}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </Flex>
        </Tile>
      ))}
      <MonthlyAuditSection />
      <Divider />
    </Flex>
  );
}
