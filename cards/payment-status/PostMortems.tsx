import { Accordion, DescriptionList, DescriptionListItem, Divider, Flex, Text } from '@hubspot/ui-extensions';
import type { PostMortemView } from '../../src/api/contracts.js';
import { day, instant, money } from '../shared/format.js';

/** Every text of the post-mortem section, in one place so it can be translated later. */
export const POST_MORTEM_STRINGS = {
  heading: 'Bad-debt post-mortems',
  intro: 'What the app knew at sale time about invoices that went bad.',
  trigger: { voided: 'voided', written_off: 'written off', over_90_days: 'more than 90 days overdue' } as Record<
    string,
    string
  >,
  title: (number: string, trigger: string, amount: string) => `Invoice ${number}: ${trigger} (${amount})`,
  recorded: 'Recorded',
  sale: 'Sale',
  saleValue: (dealId: string | null, at: string) => (dealId ? `Deal ${dealId}, won ${at}` : 'No sale on record'),
  creditShown: 'Credit warnings shown',
  noneShown: 'None shown',
  creditLevel: 'Credit pre-qualification',
  level: { ok: 'OK', watch: 'Watch (shorter terms)', high_risk: 'High risk (deposit)' } as Record<string, string>,
  notRun: 'Not available',
  history: 'Payment history at sale',
  po: 'PO rule',
  poValue: {
    present: (po: string | null) => `PO required, PO ${po ?? ''} given`,
    missing: () => 'PO required, none given',
    waived: () => 'PO required, waived by an exception',
    not_required: () => 'No PO required',
    unknown: () => 'Not recorded',
  } as Record<string, (po: string | null) => string>,
  exceptions: 'Exceptions approved',
  exceptionValue: (reason: string, fields: string, by: string | null, requestedBy: string) =>
    `${reason} (waives ${fields}; requested by ${requestedBy}, approved by ${by ?? 'unknown'})`,
  none: 'None',
  warnings: 'Warnings overridden',
} as const;

const S = POST_MORTEM_STRINGS;

/** The company record's post-mortems, newest first; nothing when there are none. */
export function PostMortems({ items }: { items: ReadonlyArray<PostMortemView> }) {
  if (items.length === 0) return null;
  return (
    <Flex direction="column" gap="xs" testId="post-mortems">
      <Divider />
      <Text format={{ fontWeight: 'demibold' }}>{S.heading}</Text>
      <Text variant="microcopy">{S.intro}</Text>
      {items.map((pm) => (
        <Accordion
          key={pm.invoiceId}
          title={S.title(pm.invoiceNumber, S.trigger[pm.trigger] ?? pm.trigger, money(pm.total))}
          size="small"
          testId={`post-mortem-${pm.invoiceId}`}
        >
          <DescriptionList direction="column">
            <DescriptionListItem label={S.recorded}>{instant(pm.recordedAt)}</DescriptionListItem>
            <DescriptionListItem label={S.sale}>{S.saleValue(pm.dealId, instant(pm.saleAt))}</DescriptionListItem>
            <DescriptionListItem label={S.creditShown}>
              {pm.credit.shownAtSale.length > 0 ? pm.credit.shownAtSale.join(' · ') : S.noneShown}
            </DescriptionListItem>
            <DescriptionListItem label={S.creditLevel}>
              {pm.credit.level
                ? `${S.level[pm.credit.level]}${pm.credit.reasons.length ? ` — ${pm.credit.reasons.join('; ')}` : ''}`
                : S.notRun}
            </DescriptionListItem>
            <DescriptionListItem label={S.history}>{pm.paymentHistory}</DescriptionListItem>
            <DescriptionListItem label={S.po}>
              {(S.poValue[pm.poRule.status] ?? S.poValue.unknown)?.(pm.poRule.poNumber)}
            </DescriptionListItem>
            <DescriptionListItem label={S.exceptions}>
              {pm.exceptions.length > 0
                ? pm.exceptions
                    .map((e) => S.exceptionValue(e.reason, e.waives.join(', '), e.approvedBy, e.requestedBy))
                    .join(' · ')
                : S.none}
            </DescriptionListItem>
            <DescriptionListItem label={S.warnings}>
              {pm.warnings.length > 0 ? pm.warnings.map((w) => `${w.label}: ${w.message}`).join(' · ') : S.none}
            </DescriptionListItem>
          </DescriptionList>
          <Text variant="microcopy">{`Due ${day(pm.dueDate)}; ${money(pm.amountDue)} unpaid`}</Text>
        </Accordion>
      ))}
    </Flex>
  );
}
