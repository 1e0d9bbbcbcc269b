import type { BarChartProps, ChartDataRow } from '@hubspot/ui-extensions';

/** HubSpot's chart palette, in its order. */
const PALETTE = ['#00a4bd', '#ff7a59', '#00bda5', '#6a78d1', '#f5c26b', '#f2547d', '#516f90'];

const W = 640;
const H = 280;
const M = { top: 16, right: 16, bottom: 56, left: 48 };

/** A round axis maximum: 1, 2, 2.5 or 5 times a power of ten. */
function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return ([1, 2, 2.5, 5, 10].map((m) => m * p).find((m) => m >= v) ?? 10 * p) as number;
}

const label = (v: number) => (Number.isInteger(v) ? String(v) : String(Math.round(v * 100) / 100));

/** Gridlines: every whole number for small counts, else quarters of the axis. */
function ticksOf(max: number, wholeNumbers: boolean): number[] {
  if (wholeNumbers && max <= 5) return Array.from({ length: max + 1 }, (_, i) => i);
  return [0, 0.25, 0.5, 0.75, 1].map((f) => f * max);
}

/** A grouped bar chart drawn in SVG from a BarChart's data, axes and options. */
export function BarChartView(p: BarChartProps) {
  const rows: ChartDataRow[] = Array.isArray(p.data) ? p.data : p.data.data;
  const xField = p.axes.x.field;
  const yField = p.axes.y.field;
  const groupField = p.axes.options?.groupFieldByColor;
  const categories = [...new Set(rows.map((r) => String(r[xField] ?? '')))];
  const groups = groupField ? [...new Set(rows.map((r) => String(r[groupField] ?? '')))] : [''];
  const amountAt = (c: string, g: string) =>
    rows
      .filter((r) => String(r[xField]) === c && (!groupField || String(r[groupField]) === g))
      .reduce((sum, r) => sum + Number(r[yField] ?? 0), 0);
  const max = niceMax(Math.max(0, ...categories.flatMap((c) => groups.map((g) => amountAt(c, g)))));
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const band = plotW / Math.max(1, categories.length);
  const barW = Math.min(48, (band * 0.7) / groups.length);
  const y = (v: number) => M.top + plotH - (v / max) * plotH;
  const wholeNumbers = rows.every((r) => Number.isInteger(Number(r[yField] ?? 0)));
  const ticks = ticksOf(max, wholeNumbers);
  const showLegend = p.options?.showLegend ?? groups.length > 1;
  const colors = p.options?.colorList?.length ? (p.options.colorList as string[]) : PALETTE;

  return (
    <figure className="rh-chart" {...(p.testId ? { 'data-testid': p.testId } : {})}>
      {p.options?.title ? <figcaption className="rh-chart__title">{p.options.title}</figcaption> : null}
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={p.options?.title ?? 'Bar chart'}>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} stroke="#dfe3eb" />
            <text x={M.left - 8} y={y(t) + 4} textAnchor="end" className="rh-chart__tick">
              {label(t)}
            </text>
          </g>
        ))}
        {categories.map((c, ci) => {
          const x0 = M.left + ci * band + (band - barW * groups.length) / 2;
          return (
            <g key={c}>
              {groups.map((g, gi) => {
                const v = amountAt(c, g);
                const x = x0 + gi * barW;
                return (
                  <g key={g}>
                    <rect
                      x={x + 1}
                      y={y(v)}
                      width={Math.max(1, barW - 2)}
                      height={Math.max(0, M.top + plotH - y(v))}
                      fill={colors[gi % colors.length]}
                      rx={2}
                    >
                      <title>{`${c}${g ? ` · ${g}` : ''}: ${label(v)}`}</title>
                    </rect>
                    {p.options?.showDataLabels ? (
                      <text x={x + barW / 2} y={y(v) - 4} textAnchor="middle" className="rh-chart__value">
                        {label(v)}
                      </text>
                    ) : null}
                  </g>
                );
              })}
              <text
                x={M.left + ci * band + band / 2}
                y={H - M.bottom + 18}
                textAnchor="middle"
                className="rh-chart__cat"
              >
                {c.length > 28 ? `${c.slice(0, 27)}…` : c}
              </text>
            </g>
          );
        })}
        {p.axes.y.label ? (
          <text
            x={12}
            y={M.top + plotH / 2}
            transform={`rotate(-90 12 ${M.top + plotH / 2})`}
            textAnchor="middle"
            className="rh-chart__axis"
          >
            {p.axes.y.label}
          </text>
        ) : null}
        {p.axes.x.label ? (
          <text x={M.left + plotW / 2} y={H - 8} textAnchor="middle" className="rh-chart__axis">
            {p.axes.x.label}
          </text>
        ) : null}
      </svg>
      {showLegend && groupField ? (
        <div className="rh-chart__legend">
          {groups.map((g, gi) => (
            <span key={g}>
              <i style={{ background: colors[gi % colors.length] }} />
              {g}
            </span>
          ))}
        </div>
      ) : null}
    </figure>
  );
}
