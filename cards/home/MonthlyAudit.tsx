import {
  Button,
  Flex,
  Heading,
  LineChart,
  Select,
  Statistics,
  StatisticsItem,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Text,
  Tile,
} from '@hubspot/ui-extensions';
import { format, subMonths } from 'date-fns';
import { useState } from 'react';
import type { MonthlyAuditView } from '../../src/api/contracts.js';
import { correctionFieldLabel } from '../../src/core/correction-fields.js';
import { financeSystemName } from '../../src/core/finance-systems.js';
import { CountBarChart } from '../shared/CountBarChart.js';
import { instant, percent } from '../shared/format.js';
import { ErrorView, LoadingView } from '../shared/StateViews.js';
import { useBackend } from '../shared/use-backend.js';

/** Every text of the monthly audit page, in one place so it can be translated later. */
export const AUDIT_STRINGS = {
  heading: 'Monthly audit',
  intro:
    'Handoffs, late invoices, manual corrections, bad-debt post-mortems and the overdue and DSO trend, month by month.',
  open: 'Open the monthly audit',
  loading: 'Loading the monthly audit…',
  loadErrorTitle: 'The monthly audit could not be loaded',
  title: (month: string) => `Monthly audit — ${month}`,
  month: 'Month',
  underWay: (zone: string) => `This month is still under way; figures as of now (${zone}).`,
  complete: (zone: string) => `Calendar month in ${zone}.`,
  handoffs: 'Handoffs',
  submitted: 'Submitted',
  accepted: 'Accepted',
  rejected: 'Rejected',
  breaches: 'SLA breaches',
  reasonsTitle: 'Rejections by reason',
  reason: 'Reason',
  count: 'Count',
  invoices: 'Invoices',
  late: (hours: number) => `Created more than ${hours} h after their trigger`,
  lateValue: (late: number, of: number) => `${late} of ${of}`,
  missing: (hours: number) => `Not created yet, more than ${hours} h after their trigger`,
  lateTable: { invoice: 'Invoice', trigger: 'Trigger', delay: 'Hours late' },
  corrections: 'Manual corrections in the finance system',
  correctionsTotal: 'Corrections',
  byFieldTitle: 'Corrections by field',
  bySystemTitle: 'Corrections by finance system',
  field: 'Field',
  system: 'Finance system',
  postMortems: 'Bad-debt post-mortems',
  trigger: { voided: 'Voided', written_off: 'Written off', over_90_days: 'Over 90 days overdue' } as Record<
    string,
    string
  >,
  trend: 'Receivables trend',
  trendOverdueTitle: '% of receivables overdue at month end',
  trendDsoTitle: 'DSO at month end (days)',
  overduePct: '% overdue',
  dso: 'DSO (days)',
  noReceivables: 'No receivables in these months.',
  none: 'None',
} as const;

const S = AUDIT_STRINGS;

/** The last twelve months, newest first, as Select options. */
export function recentMonths(now: Date, count = 12): Array<{ label: string; value: string }> {
  return Array.from({ length: count }, (_, i) => {
    const d = subMonths(now, i);
    return { label: format(d, 'MMMM yyyy'), value: format(d, 'yyyy-MM') };
  });
}

/**
 * The home page's monthly audit: closed until asked for, so loading the home page stays one backend call; open, one
 * `getMonthlyAudit` call per month chosen.
 */
export function MonthlyAuditSection() {
  const [open, setOpen] = useState(false);
  return (
    <Tile testId="monthly-audit">
      <Flex direction="column" gap="sm">
        <Heading>{S.heading}</Heading>
        {open ? (
          <MonthlyAudit />
        ) : (
          <Flex direction="column" gap="xs">
            <Text>{S.intro}</Text>
            <Button onClick={() => setOpen(true)} testId="open-audit">
              {S.open}
            </Button>
          </Flex>
        )}
      </Flex>
    </Tile>
  );
}

/** The monthly audit of a chosen month: one `getMonthlyAudit` call per month chosen. */
export function MonthlyAudit() {
  const [months] = useState(() => recentMonths(new Date()));
  const [month, setMonth] = useState(months[0]?.value ?? '');
  const backend = useBackend('getMonthlyAudit', { month });
  const { state } = backend;
  const picker = (
    <Select
      name="month"
      label={S.month}
      value={month}
      options={months}
      onChange={(v) => setMonth(String(v))}
      testId="audit-month"
    />
  );
  return (
    <Flex direction="column" gap="md">
      {picker}
      {state.status === 'loading' ? (
        <LoadingView label={S.loading} />
      ) : state.status === 'error' ? (
        <ErrorView error={state.error} onRetry={backend.reload} title={S.loadErrorTitle} />
      ) : (
        <AuditBody audit={state.data} />
      )}
    </Flex>
  );
}

function AuditBody({ audit }: { audit: MonthlyAuditView }) {
  const { handoffs, invoices, manualCorrections, postMortems } = audit;
  // One row per month and currency: the trend reads as lines, one per currency.
  const trendRows = audit.receivablesTrend.flatMap((p) =>
    p.currencies.map((c) => ({
      month: p.month,
      currency: c.currency,
      overdue: c.overdueShare === null ? 0 : Math.round(c.overdueShare * 1000) / 10,
      dso: c.dsoDays ?? 0,
    })),
  );
  return (
    <Flex direction="column" gap="md">
      <Flex direction="column" gap="xs">
        <Heading>{S.title(audit.month)}</Heading>
        <Text variant="microcopy">
          {audit.complete ? S.complete(audit.timeZone) : S.underWay(audit.timeZone)} {instant(audit.generatedAt)}
        </Text>
      </Flex>

      <Tile testId="audit-handoffs">
        <Flex direction="column" gap="sm">
          <Heading>{S.handoffs}</Heading>
          <Statistics>
            <StatisticsItem label={S.submitted} number={handoffs.submitted} />
            <StatisticsItem label={S.accepted} number={handoffs.accepted} />
            <StatisticsItem label={S.rejected} number={handoffs.rejected} />
            <StatisticsItem label={S.breaches} number={handoffs.slaBreaches} />
          </Statistics>
          <CountBarChart
            testId="audit-rejections-chart"
            category="reason"
            rows={handoffs.rejectionsByReason}
            categoryLabel={S.reason}
            countLabel={S.count}
            title={S.reasonsTitle}
          />
        </Flex>
      </Tile>

      <Tile testId="audit-invoices">
        <Flex direction="column" gap="sm">
          <Heading>{S.invoices}</Heading>
          <Statistics>
            <StatisticsItem
              label={S.late(invoices.lateAfterHours)}
              number={S.lateValue(invoices.late, invoices.created)}
            />
            <StatisticsItem label={S.missing(invoices.lateAfterHours)} number={invoices.missingPastLimit} />
          </Statistics>
          {invoices.lateInvoices.length > 0 ? (
            <Table density="condensed" testId="audit-late-invoices">
              <TableHead>
                <TableRow>
                  <TableHeader>{S.lateTable.invoice}</TableHeader>
                  <TableHeader>{S.lateTable.trigger}</TableHeader>
                  <TableHeader align="right">{S.lateTable.delay}</TableHeader>
                </TableRow>
              </TableHead>
              <TableBody>
                {invoices.lateInvoices.map((l) => (
                  <TableRow key={l.invoiceId}>
                    <TableCell>{l.invoiceId}</TableCell>
                    <TableCell>{l.trigger ?? instant(l.triggerAt)}</TableCell>
                    <TableCell align="right">{String(l.delayHours)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          ) : null}
        </Flex>
      </Tile>

      <Tile testId="audit-corrections">
        <Flex direction="column" gap="sm">
          <Heading>{S.corrections}</Heading>
          <Statistics>
            <StatisticsItem label={S.correctionsTotal} number={manualCorrections.total} />
          </Statistics>
          <CountBarChart
            testId="audit-corrections-by-field"
            category="field"
            rows={manualCorrections.byField.map((r) => ({ ...r, key: correctionFieldLabel(r.key) }))}
            categoryLabel={S.field}
            countLabel={S.count}
            title={S.byFieldTitle}
          />
          <CountBarChart
            testId="audit-corrections-by-system"
            category="system"
            rows={manualCorrections.bySystem.map((r) => ({ ...r, key: financeSystemName(r.key) }))}
            categoryLabel={S.system}
            countLabel={S.count}
            title={S.bySystemTitle}
          />
        </Flex>
      </Tile>

      <Tile testId="audit-post-mortems">
        <Flex direction="column" gap="sm">
          <Heading>{S.postMortems}</Heading>
          <Statistics>
            <StatisticsItem label={S.postMortems} number={postMortems.total} />
            {postMortems.byTrigger.map((t) => (
              <StatisticsItem key={t.key} label={S.trigger[t.key] ?? t.key} number={t.count} />
            ))}
          </Statistics>
        </Flex>
      </Tile>

      <Tile testId="audit-trend">
        <Flex direction="column" gap="sm">
          <Heading>{S.trend}</Heading>
          {trendRows.length === 0 ? (
            <Text variant="microcopy">{S.noReceivables}</Text>
          ) : (
            <>
              <LineChart
                testId="audit-overdue-trend"
                data={trendRows}
                axes={{
                  x: { field: 'month', fieldType: 'category', label: S.month },
                  y: { field: 'overdue', fieldType: 'linear', label: S.overduePct },
                  options: { groupFieldByColor: 'currency' },
                }}
                options={{ title: S.trendOverdueTitle, showLegend: true }}
              />
              <LineChart
                testId="audit-dso-trend"
                data={trendRows}
                axes={{
                  x: { field: 'month', fieldType: 'category', label: S.month },
                  y: { field: 'dso', fieldType: 'linear', label: S.dso },
                  options: { groupFieldByColor: 'currency' },
                }}
                options={{ title: S.trendDsoTitle, showLegend: true }}
              />
              <Table density="condensed" testId="audit-trend-table">
                <TableHead>
                  <TableRow>
                    <TableHeader>{S.month}</TableHeader>
                    <TableHeader>Currency</TableHeader>
                    <TableHeader align="right">{S.overduePct}</TableHeader>
                    <TableHeader align="right">{S.dso}</TableHeader>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {audit.receivablesTrend.flatMap((p) =>
                    p.currencies.map((c) => (
                      <TableRow key={`${p.month}-${c.currency}`}>
                        <TableCell>{p.month}</TableCell>
                        <TableCell>{c.currency}</TableCell>
                        <TableCell align="right">{percent(c.overdueShare)}</TableCell>
                        <TableCell align="right">{c.dsoDays === null ? '—' : String(c.dsoDays)}</TableCell>
                      </TableRow>
                    )),
                  )}
                </TableBody>
              </Table>
            </>
          )}
        </Flex>
      </Tile>
    </Flex>
  );
}
