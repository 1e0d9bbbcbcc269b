import { BarChart } from '@hubspot/ui-extensions';

export interface CountBarChartProps {
  testId: string;
  /** The category each bar counts, e.g. 'reason', 'field', 'system': the data's key name and the x axis field. */
  category: string;
  rows: ReadonlyArray<{ key: string; count: number }>;
  categoryLabel: string;
  countLabel: string;
  title: string;
}

/**
 * A bar chart of counts by category (rejections by reason, corrections by field or by system); nothing when there
 * is nothing to count, since an empty chart reads as a broken one.
 * @example <CountBarChart testId="rejections-chart" category="reason" rows={[{ key: 'po_missing', count: 2 }]} … />
 */
export function CountBarChart({ testId, category, rows, categoryLabel, countLabel, title }: CountBarChartProps) {
  if (rows.length === 0) return null;
  return (
    <BarChart
      testId={testId}
      data={rows.map((r) => ({ [category]: r.key, count: r.count }))}
      axes={{
        x: { field: category, fieldType: 'category', label: categoryLabel },
        y: { field: 'count', fieldType: 'linear', label: countLabel },
      }}
      options={{ title }}
    />
  );
}
