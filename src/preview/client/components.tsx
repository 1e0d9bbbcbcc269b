/**
 * HTML stand-ins for the @hubspot/ui-extensions components, by remote component name, styled after HubSpot's record
 * pages (preview.css). They receive what a card passed, unserialised (one thread), and answer with HubSpot's event
 * shapes: text inputs commit `onChange(value)` on blur (and `onInput` per keystroke), Select `onChange(value)`,
 * NumberInput/CurrencyInput numbers (NaN when emptied), DateInput `{ year, month (0-based), date, formattedDate }`,
 * Button/Link/Tag `onClick(event, reactions)` with Modal/Panel overlays.
 */
import type {
  AccordionProps,
  AlertProps,
  BarChartProps,
  BaseDate,
  BoxProps,
  ButtonProps,
  ButtonRowProps,
  CheckboxProps,
  CurrencyInputProps,
  DateInputProps,
  DescriptionListItemProps,
  DescriptionListProps,
  DividerProps,
  EmptyStateProps,
  ErrorStateProps,
  FlexProps,
  FormProps,
  HeadingProps,
  HrefProp,
  ImageProps,
  InlineProps,
  InputProps,
  LinkProps,
  ListProps,
  LoadingSpinnerProps,
  ModalProps,
  MultiSelectProps,
  NumberInputProps,
  PanelProps,
  ProgressBarProps,
  Reactions,
  SelectProps,
  SpacerProps,
  StatisticsItemProps,
  StatisticsProps,
  StatisticsTrendProps,
  StatusTagProps,
  TableCellProps,
  TableHeaderProps,
  TableProps,
  TagProps,
  TextAreaProps,
  TextProps,
  TileProps,
  ToggleProps,
} from '@hubspot/ui-extensions';
import {
  Children,
  type ComponentType,
  type CSSProperties,
  createContext,
  type MouseEvent as ReactMouseEvent,
  type ReactNode,
  useContext,
  useEffect,
  useId,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import { createPortal } from 'react-dom';
import { BarChartView } from './chart.js';

type WithChildren = { children?: ReactNode };
type WithTestId = { testId?: string };

const cx = (...names: Array<string | false | null | undefined>) => names.filter(Boolean).join(' ');
const tid = (p: WithTestId) => (p.testId ? { 'data-testid': p.testId } : {});

/** HubSpot's spacing scale (flush … extra-large) in pixels, on its 4 px grid. */
const DISTANCE: Record<string, number> = {
  flush: 0,
  'extra-small': 8,
  xs: 8,
  small: 12,
  sm: 12,
  medium: 16,
  md: 16,
  large: 24,
  lg: 24,
  'extra-large': 32,
  xl: 32,
};
const px = (d: string | undefined, fallback: number) => (d && d in DISTANCE ? (DISTANCE[d] ?? fallback) : fallback);

const SIZE: Record<string, 'xs' | 'sm' | 'md'> = {
  'extra-small': 'xs',
  xs: 'xs',
  small: 'sm',
  sm: 'sm',
  medium: 'md',
  md: 'md',
};

// ─── overlays: Modal and Panel, opened by a Button/Link/Tag `overlay` or by reactions.openModal/openPanel ───

function createOverlayStore() {
  let open = new Set<string>();
  const listeners = new Set<() => void>();
  const emit = () => {
    for (const l of listeners) l();
  };
  return {
    subscribe(l: () => void) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    snapshot: () => open,
    open(id: string) {
      open = new Set(open).add(id);
      emit();
    },
    close(id: string) {
      const next = new Set(open);
      next.delete(id);
      open = next;
      emit();
    },
  };
}
const overlays = createOverlayStore();

/** The `reactions` argument of onClick handlers. */
export const reactions: Reactions = {
  openModal: (id) => overlays.open(id),
  closeModal: (id) => overlays.close(id),
  openPanel: (id) => overlays.open(id),
  closePanel: (id) => overlays.close(id),
};

/** The overlay attached to the component that opened it (its `overlay` prop). */
const OverlayScope = createContext<{ open: boolean; close: () => void } | null>(null);

function useOverlay(id: string, onOpen?: () => void, onClose?: () => void) {
  const scope = useContext(OverlayScope);
  const ids = useSyncExternalStore(overlays.subscribe, overlays.snapshot);
  const open = (scope?.open ?? false) || ids.has(id);
  const wasOpen = useRef(false);
  useEffect(() => {
    if (open && !wasOpen.current) onOpen?.();
    wasOpen.current = open;
  }, [open, onOpen]);
  const close = () => {
    scope?.close();
    overlays.close(id);
    onClose?.();
  };
  return { open, close };
}

/** Wraps a trigger: clicking opens its `overlay` (Modal/Panel), as HubSpot does. */
function useOverlayTrigger(overlay: ReactNode) {
  const [open, setOpen] = useState(false);
  const node =
    overlay === undefined || overlay === null ? null : (
      <OverlayScope.Provider value={{ open, close: () => setOpen(false) }}>{overlay}</OverlayScope.Provider>
    );
  return { node, openOverlay: () => setOpen(true), hasOverlay: node !== null };
}

const extensionEvent = (e: ReactMouseEvent, id?: string) => ({
  type: e.type,
  bubbles: e.bubbles,
  timeStamp: e.timeStamp,
  id: id ?? '',
});

function Modal(p: ModalProps) {
  const { open, close } = useOverlay(p.id, p.onOpen, p.onClose);
  if (!open) return null;
  return createPortal(
    <div className="rh-backdrop" role="presentation">
      <div
        className={cx('rh-modal', `rh-modal--${SIZE[p.width ?? 'md'] ?? 'md'}`, p.variant === 'danger' && 'is-danger')}
        role="dialog"
        aria-modal="true"
        aria-label={p['aria-label'] ?? p.title}
        {...tid(p)}
      >
        <div className="rh-overlay-header">
          <h3>{p.title}</h3>
          <button type="button" className="rh-overlay-close" aria-label="Close" onClick={close}>
            ×
          </button>
        </div>
        <div className="rh-overlay-content">{p.children}</div>
      </div>
    </div>,
    document.body,
  );
}

function Panel(p: PanelProps) {
  const { open, close } = useOverlay(p.id, p.onOpen, p.onClose);
  if (!open) return null;
  return createPortal(
    <div className={cx('rh-panel-layer', p.variant === 'modal' && 'rh-backdrop')} role="presentation">
      <aside
        className={cx('rh-panel', `rh-panel--${SIZE[p.width ?? 'sm'] ?? 'sm'}`)}
        aria-label={p['aria-label'] ?? p.title}
        {...tid(p)}
      >
        <div className="rh-overlay-header">
          <h3>{p.title}</h3>
          <button type="button" className="rh-overlay-close" aria-label="Close" onClick={close}>
            ×
          </button>
        </div>
        <div className="rh-overlay-content">{p.children}</div>
      </aside>
    </div>,
    document.body,
  );
}

type PartProps = WithChildren & WithTestId & { flush?: boolean };

function OverlayBody(p: PartProps) {
  return (
    <div className="rh-overlay-body" {...tid(p)}>
      {p.children}
    </div>
  );
}

function OverlayFooter(p: PartProps) {
  return (
    <div className="rh-overlay-footer" {...tid(p)}>
      {p.children}
    </div>
  );
}

function PanelSection(p: PartProps) {
  return (
    <div className={cx('rh-panel-section', p.flush && 'is-flush')} {...tid(p)}>
      {p.children}
    </div>
  );
}

// ─── layout ───

function Flex(p: FlexProps) {
  const justify: Record<string, CSSProperties['justifyContent']> = {
    start: 'flex-start',
    end: 'flex-end',
    center: 'center',
    between: 'space-between',
    around: 'space-around',
  };
  const align: Record<string, CSSProperties['alignItems']> = {
    start: 'flex-start',
    end: 'flex-end',
    center: 'center',
    baseline: 'baseline',
    stretch: 'stretch',
  };
  const style: CSSProperties = {
    display: 'flex',
    flexDirection: p.direction === 'column' ? 'column' : 'row',
    gap: px(p.gap, 0),
    justifyContent: justify[p.justify ?? 'start'],
    alignItems: p.align ? align[p.align] : p.direction === 'column' ? 'stretch' : undefined,
    alignSelf: p.alignSelf ? align[p.alignSelf] : undefined,
    flexWrap: p.wrap === true || p.wrap === 'wrap' ? 'wrap' : 'nowrap',
  };
  return (
    <div className="rh-flex" style={style} {...tid(p)}>
      {p.children}
    </div>
  );
}

function Box(p: BoxProps) {
  const style: CSSProperties = {
    flex: p.flex === undefined ? undefined : typeof p.flex === 'number' ? p.flex : p.flex === 'none' ? 'none' : p.flex,
    alignSelf: p.alignSelf === 'start' ? 'flex-start' : p.alignSelf === 'end' ? 'flex-end' : p.alignSelf,
    minWidth: 0,
  };
  return (
    <div style={style} {...tid(p)}>
      {p.children}
    </div>
  );
}

function Inline(p: InlineProps) {
  return <Flex direction="row" gap={p.gap ?? 'small'} align={p.align ?? 'center'} justify={p.justify} wrap {...p} />;
}

function AutoGrid(p: WithChildren & WithTestId & { columnWidth: number; gap?: string; flexible?: boolean }) {
  const style: CSSProperties = {
    display: 'grid',
    gap: px(p.gap, 8),
    gridTemplateColumns: `repeat(auto-fill, minmax(${p.columnWidth}px, ${p.flexible ? '1fr' : `${p.columnWidth}px`}))`,
  };
  return (
    <div style={style} {...tid(p)}>
      {p.children}
    </div>
  );
}

function Stack(p: WithChildren & WithTestId & { distance?: string; direction?: 'row' | 'column' }) {
  return (
    <div
      style={{ display: 'flex', flexDirection: p.direction === 'row' ? 'row' : 'column', gap: px(p.distance, 8) }}
      {...tid(p)}
    >
      {p.children}
    </div>
  );
}

function Tile(p: TileProps) {
  return (
    <div className={cx('rh-tile', p.compact && 'is-compact', p.flush && 'is-flush')} {...tid(p)}>
      {p.children}
    </div>
  );
}

function Divider(p: DividerProps) {
  const d = px(p.distance, 8);
  return <hr className="rh-divider" style={{ marginTop: d, marginBottom: d }} {...tid(p)} />;
}

function Spacer(p: SpacerProps) {
  return <div style={{ height: px((p as { size?: string }).size, 8) }} {...tid(p)} />;
}

// ─── text ───

function Heading(p: HeadingProps) {
  return p.inline ? (
    <span className="rh-heading" {...tid(p)}>
      {p.children}
    </span>
  ) : (
    <h2 className="rh-heading" {...tid(p)}>
      {p.children}
    </h2>
  );
}

function Text(p: TextProps) {
  const f = p.format ?? {};
  const style: CSSProperties = {
    fontWeight: f.fontWeight === 'bold' ? 700 : f.fontWeight === 'demibold' ? 600 : undefined,
    fontStyle: f.italic ? 'italic' : undefined,
    textDecoration:
      f.lineDecoration === 'underline'
        ? 'underline'
        : f.lineDecoration === 'strikethrough'
          ? 'line-through'
          : undefined,
    textTransform:
      f.textTransform === 'sentenceCase' || f.textTransform === 'none' || !f.textTransform
        ? undefined
        : f.textTransform,
  };
  const className = cx('rh-text', p.variant === 'microcopy' && 'is-microcopy', p.truncate && 'is-truncated');
  return p.inline ? (
    <span className={className} style={style} {...tid(p)}>
      {p.children}
    </span>
  ) : (
    <p className={className} style={style} {...tid(p)}>
      {p.children}
    </p>
  );
}

function hrefOf(href: HrefProp | undefined): { url: string; external: boolean } | null {
  if (!href) return null;
  return typeof href === 'string'
    ? { url: href, external: false }
    : { url: href.url, external: href.external === true };
}

function Link(p: LinkProps) {
  const href = hrefOf(p.href);
  const trigger = useOverlayTrigger(p.overlay);
  return (
    <>
      <a
        className={cx('rh-link', p.variant && `is-${p.variant}`)}
        href={href?.url}
        {...(href?.external ? { target: '_blank', rel: 'noopener noreferrer' } : {})}
        onClick={(e) => {
          if (p.preventDefault || trigger.hasOverlay) e.preventDefault();
          void p.onClick?.(extensionEvent(e, p.testId) as never, reactions);
          if (trigger.hasOverlay) trigger.openOverlay();
        }}
        {...tid(p)}
      >
        {p.children}
        {href?.external ? (
          <span className="rh-external" aria-hidden="true">
            ↗
          </span>
        ) : null}
      </a>
      {trigger.node}
    </>
  );
}

function List(p: ListProps) {
  const variant = p.variant ?? 'unordered';
  const items = Children.toArray(p.children).map((child, i) => (
    // biome-ignore lint/suspicious/noArrayIndexKey: the card's own children, in its order
    <li key={i}>{child}</li>
  ));
  const className = cx('rh-list', `is-${variant}`);
  return variant.startsWith('ordered') ? (
    <ol className={className} {...tid(p)}>
      {items}
    </ol>
  ) : (
    <ul className={className} {...tid(p)}>
      {items}
    </ul>
  );
}

// ─── status ───

function Alert(p: AlertProps) {
  const variant = p.variant === 'error' ? 'danger' : (p.variant ?? 'info');
  return (
    <div className={cx('rh-alert', `is-${variant}`)} role="alert" {...tid(p)}>
      <p className="rh-alert__title">{p.title}</p>
      {p.children ? <div className="rh-alert__body">{p.children}</div> : null}
    </div>
  );
}

function StatusTag(p: StatusTagProps) {
  const content = (
    <>
      <span className={cx('rh-status__dot', p.hollow && 'is-hollow')} aria-hidden="true" />
      <span>{p.children}</span>
      {p.showRemoveIcon ? (
        <button type="button" className="rh-status__remove" aria-label="Remove" onClick={() => p.onRemoveClick?.()}>
          ×
        </button>
      ) : null}
    </>
  );
  const className = cx('rh-status', `is-${p.variant ?? 'default'}`);
  return p.onClick ? (
    <button type="button" className={cx(className, 'is-clickable')} onClick={() => p.onClick?.()} {...tid(p)}>
      {content}
    </button>
  ) : (
    <span className={className} {...tid(p)}>
      {content}
    </span>
  );
}

function Tag(p: TagProps) {
  const trigger = useOverlayTrigger(p.overlay);
  const className = cx('rh-tag', `is-${p.variant ?? 'default'}`, p.inline && 'is-inline');
  const clickable = p.onClick || trigger.hasOverlay;
  return (
    <>
      {clickable ? (
        <button
          type="button"
          className={cx(className, 'is-clickable')}
          onClick={(e) => {
            void p.onClick?.(extensionEvent(e, p.testId) as never, reactions);
            if (trigger.hasOverlay) trigger.openOverlay();
          }}
          {...tid(p)}
        >
          {p.children}
        </button>
      ) : (
        <span className={className} {...tid(p)}>
          {p.children}
        </span>
      )}
      {trigger.node}
    </>
  );
}

function ProgressBar(p: ProgressBarProps) {
  const max = p.maxValue ?? p.valueMax ?? 100;
  const value = Math.max(0, Math.min(max, p.value ?? 0));
  const pct = max > 0 ? Math.round((value / max) * 100) : 0;
  return (
    <div className="rh-progress" {...tid(p)}>
      {p.title || p.showPercentage ? (
        <div className="rh-progress__head">
          <span className="rh-progress__title">{p.title}</span>
          {p.showPercentage ? <span className="rh-progress__pct">{pct}%</span> : null}
        </div>
      ) : null}
      <div
        className="rh-progress__track"
        role="progressbar"
        aria-label={p['aria-label'] ?? p.title}
        aria-valuemin={0}
        aria-valuemax={max}
        aria-valuenow={value}
        aria-valuetext={p.valueDescription}
      >
        <div className={cx('rh-progress__fill', `is-${p.variant ?? 'default'}`)} style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}

function LoadingSpinner(p: LoadingSpinnerProps) {
  return (
    <div
      className={cx('rh-spinner', p.layout === 'centered' && 'is-centered', `is-${SIZE[p.size ?? 'sm'] ?? 'sm'}`)}
      role="status"
      {...tid(p)}
    >
      <span className="rh-spinner__ring" aria-hidden="true" />
      <span className={p.showLabel ? 'rh-spinner__label' : 'rh-visually-hidden'}>{p.label}</span>
    </div>
  );
}

/** A line drawing in HubSpot's empty-state manner (their illustrations are not redistributable). */
function Illustration({ kind }: { kind: 'empty' | 'error' }) {
  return (
    <svg className="rh-illustration" viewBox="0 0 120 96" aria-hidden="true">
      <ellipse cx="60" cy="86" rx="46" ry="6" fill="#eaf0f6" />
      <rect x="26" y="14" width="68" height="62" rx="6" fill="#fff" stroke="#7c98b6" strokeWidth="2.5" />
      <rect x="26" y="14" width="68" height="14" rx="6" fill={kind === 'error' ? '#fde8e9' : '#e5f5f8'} />
      <circle cx="36" cy="21" r="2.5" fill={kind === 'error' ? '#f2545b' : '#00a4bd'} />
      <circle cx="44" cy="21" r="2.5" fill="#cbd6e2" />
      {kind === 'error' ? (
        <path d="M60 38 L74 64 H46 Z" fill="#fef8f0" stroke="#f2545b" strokeWidth="2.5" strokeLinejoin="round" />
      ) : (
        <>
          <rect x="38" y="38" width="44" height="6" rx="3" fill="#cbd6e2" />
          <rect x="38" y="50" width="32" height="6" rx="3" fill="#dfe3eb" />
          <rect x="38" y="62" width="38" height="6" rx="3" fill="#dfe3eb" />
        </>
      )}
      {kind === 'error' ? <rect x="58.5" y="46" width="3" height="10" rx="1.5" fill="#f2545b" /> : null}
    </svg>
  );
}

function EmptyState(p: EmptyStateProps) {
  const horizontal = p.layout === 'horizontal';
  return (
    <div
      className={cx('rh-empty', horizontal ? 'is-horizontal' : 'is-vertical', p.reverseOrder && 'is-reversed')}
      {...tid(p)}
    >
      <Illustration kind="empty" />
      <div className="rh-empty__content">
        {p.title ? <h3 className="rh-empty__title">{p.title}</h3> : null}
        {p.children}
      </div>
    </div>
  );
}

function ErrorState(p: ErrorStateProps) {
  return (
    <div className="rh-empty is-vertical is-error" role="alert" {...tid(p)}>
      <Illustration kind="error" />
      <div className="rh-empty__content">
        <h3 className="rh-empty__title">{p.title ?? 'Something went wrong'}</h3>
        {p.children}
      </div>
    </div>
  );
}

// ─── data ───

function Statistics(p: StatisticsProps) {
  return (
    <div className="rh-stats" {...tid(p)}>
      {p.children}
    </div>
  );
}

function StatisticsItem(p: StatisticsItemProps) {
  return (
    <div className="rh-stat" {...tid(p)}>
      <div className="rh-stat__label">{p.label}</div>
      <div className="rh-stat__number">{p.number}</div>
      {p.children}
    </div>
  );
}

function StatisticsTrend(p: StatisticsTrendProps) {
  const color = p.color ?? (p.direction === 'increase' ? 'green' : 'red');
  return (
    <span className={cx('rh-trend', `is-${color}`)} {...tid(p)}>
      {p.direction === 'increase' ? '▲' : '▼'} {p.value}
    </span>
  );
}

function DescriptionList(p: DescriptionListProps) {
  return (
    <dl className={cx('rh-dl', p.direction === 'column' ? 'is-column' : 'is-row')} {...tid(p)}>
      {p.children}
    </dl>
  );
}

function DescriptionListItem(p: DescriptionListItemProps) {
  return (
    <div className="rh-dl__item" {...tid(p)}>
      <dt>{p.label}</dt>
      <dd>{p.children}</dd>
    </div>
  );
}

function Table(p: TableProps) {
  const paginated = p.paginated === true;
  return (
    <div className="rh-table-wrap" {...tid(p)}>
      <table
        className={cx(
          'rh-table',
          `is-${p.density ?? 'default'}`,
          p.bordered !== false && 'is-bordered',
          p.flush && 'is-flush',
        )}
      >
        {p.children}
      </table>
      {paginated ? (
        <div className="rh-pagination">
          <button
            type="button"
            className="rh-link-button"
            disabled={(p.page ?? 1) <= 1}
            onClick={() => p.onPageChange((p.page ?? 1) - 1)}
          >
            ‹ Prev
          </button>
          <span>
            Page {p.page ?? 1} of {p.pageCount}
          </span>
          <button
            type="button"
            className="rh-link-button"
            disabled={(p.page ?? 1) >= p.pageCount}
            onClick={() => p.onPageChange((p.page ?? 1) + 1)}
          >
            Next ›
          </button>
        </div>
      ) : null}
    </div>
  );
}

function TableHead(p: WithChildren & WithTestId) {
  return <thead {...tid(p)}>{p.children}</thead>;
}

function TableBody(p: WithChildren & WithTestId) {
  return <tbody {...tid(p)}>{p.children}</tbody>;
}

function TableFooter(p: WithChildren & WithTestId) {
  return <tfoot {...tid(p)}>{p.children}</tfoot>;
}

function TableRow(p: WithChildren & WithTestId) {
  return <tr {...tid(p)}>{p.children}</tr>;
}

const widthOf = (w: TableCellProps['width']) =>
  typeof w === 'number' ? w : w === 'min' ? '1%' : w === 'max' ? '100%' : undefined;

function TableHeader(p: TableHeaderProps) {
  const sortable = p.sortDirection !== undefined && p.sortDirection !== 'never';
  const arrow = p.sortDirection === 'ascending' ? ' ▲' : p.sortDirection === 'descending' ? ' ▼' : '';
  return (
    <th style={{ textAlign: p.align ?? 'left', width: widthOf(p.width) }} {...tid(p)}>
      {sortable && 'onSortChange' in p ? (
        <button
          type="button"
          className="rh-sort"
          disabled={p.disabled}
          onClick={() => p.onSortChange(p.sortDirection === 'ascending' ? 'descending' : 'ascending')}
        >
          {p.children}
          {arrow}
        </button>
      ) : (
        p.children
      )}
    </th>
  );
}

function TableCell(p: TableCellProps) {
  return (
    <td style={{ textAlign: p.align ?? 'left', width: widthOf(p.width) }} colSpan={p.colSpan} {...tid(p)}>
      {p.children}
    </td>
  );
}

function BarChart(p: BarChartProps) {
  return <BarChartView {...p} />;
}

// ─── actions ───

function Button(p: ButtonProps) {
  const trigger = useOverlayTrigger(p.overlay);
  const className = cx('rh-btn', `is-${p.variant ?? 'secondary'}`, `is-${SIZE[p.size ?? 'md'] ?? 'md'}`);
  const href = hrefOf(p.href);
  const onClick = (e: ReactMouseEvent) => {
    void p.onClick?.(extensionEvent(e, p.testId) as never, reactions);
    if (trigger.hasOverlay) trigger.openOverlay();
  };
  return (
    <>
      {href ? (
        <a
          className={className}
          href={href.url}
          {...(href.external ? { target: '_blank', rel: 'noopener noreferrer' } : {})}
          onClick={onClick}
          {...tid(p)}
        >
          {p.children}
        </a>
      ) : (
        <button
          type={p.type === 'submit' ? 'submit' : p.type === 'reset' ? 'reset' : 'button'}
          className={className}
          disabled={p.disabled}
          onClick={onClick}
          {...tid(p)}
        >
          {p.children}
        </button>
      )}
      {trigger.node}
    </>
  );
}

function LoadingButton(p: ButtonProps & { loading?: boolean }) {
  return (
    <Button {...p} disabled={p.disabled || p.loading}>
      {p.loading ? <span className="rh-spinner__ring is-inline" aria-hidden="true" /> : null}
      {p.children}
    </Button>
  );
}

function ButtonRow(p: ButtonRowProps) {
  return (
    <div className="rh-button-row" {...tid(p)}>
      {p.children}
    </div>
  );
}

function Form(p: FormProps) {
  return (
    <form
      onSubmit={(e) => {
        if (p.preventDefault !== false) e.preventDefault();
        const values: Record<string, string> = {};
        new FormData(e.currentTarget).forEach((v, k) => {
          values[k] = String(v);
        });
        void p.onSubmit?.(
          { type: 'submit', bubbles: true, timeStamp: e.timeStamp, id: p.testId ?? '', targetValue: values } as never,
          reactions,
        );
      }}
      {...tid(p)}
    >
      {p.children}
    </form>
  );
}

// ─── inputs ───

interface FieldFrameProps {
  id: string;
  label?: string | undefined;
  required?: boolean | undefined;
  description?: string | undefined;
  tooltip?: string | undefined;
  error?: boolean | undefined;
  validationMessage?: string | undefined;
  testId?: string | undefined;
  children: ReactNode;
}

function FieldFrame(p: FieldFrameProps) {
  return (
    <div className={cx('rh-field', p.error && 'has-error')} {...tid(p)}>
      {p.label ? (
        <label className="rh-field__label" htmlFor={p.id} title={p.tooltip}>
          {p.label}
          {p.required ? <span className="rh-required"> *</span> : null}
        </label>
      ) : null}
      {p.description ? <p className="rh-field__description">{p.description}</p> : null}
      {p.children}
      {p.validationMessage ? (
        <p className={cx('rh-field__message', p.error && 'is-error')}>{p.validationMessage}</p>
      ) : null}
    </div>
  );
}

/** Text a person types, committed like HubSpot's inputs: onInput per keystroke, onChange on blur or Enter. */
function useCommittedText(value: string | undefined, defaultValue: string | undefined) {
  const [text, setText] = useState(value ?? defaultValue ?? '');
  const committed = useRef(value ?? defaultValue ?? '');
  const lastProp = useRef(value);
  if (value !== lastProp.current) {
    // The card changed the value itself (e.g. a saved form was reset): show it.
    lastProp.current = value;
    committed.current = value ?? '';
    if (text !== (value ?? '')) setText(value ?? '');
  }
  return {
    text,
    setText,
    commit(onChange: ((v: string) => void) | undefined, next = text) {
      if (next === committed.current) return;
      committed.current = next;
      onChange?.(next);
    },
  };
}

function Input(p: InputProps) {
  const id = useId();
  const t = useCommittedText(p.value, p.defaultValue);
  return (
    <FieldFrame {...p} id={id}>
      <input
        id={id}
        name={p.name}
        className="rh-input"
        type={p.type === 'password' ? 'password' : 'text'}
        value={t.text}
        placeholder={p.placeholder}
        readOnly={p.readOnly}
        required={p.required}
        aria-invalid={p.error || undefined}
        onChange={(e) => {
          t.setText(e.target.value);
          p.onInput?.(e.target.value);
        }}
        onFocus={() => p.onFocus?.(t.text)}
        onBlur={() => {
          t.commit(p.onChange);
          p.onBlur?.(t.text);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') t.commit(p.onChange);
        }}
      />
    </FieldFrame>
  );
}

function TextArea(p: TextAreaProps) {
  const id = useId();
  const t = useCommittedText(p.value, p.defaultValue);
  return (
    <FieldFrame {...p} id={id}>
      <textarea
        id={id}
        name={p.name}
        className="rh-input rh-textarea"
        value={t.text}
        rows={p.rows ?? 3}
        cols={p.cols}
        maxLength={p.maxLength}
        placeholder={p.placeholder}
        readOnly={p.readOnly}
        required={p.required}
        style={{ resize: p.resize ?? 'vertical' }}
        aria-invalid={p.error || undefined}
        onChange={(e) => {
          t.setText(e.target.value);
          p.onInput?.(e.target.value);
        }}
        onFocus={() => p.onFocus?.(t.text)}
        onBlur={() => {
          t.commit(p.onChange);
          p.onBlur?.(t.text);
        }}
      />
    </FieldFrame>
  );
}

/**
 * A choice the card may control or not: shows the card's value, follows it when the card changes it (including back
 * to nothing), and otherwise keeps what the person chose, as HubSpot's own inputs do.
 */
function useMirrored<T>(value: T): [T, (next: T) => void] {
  const [local, setLocal] = useState(value);
  const lastProp = useRef(value);
  if (!Object.is(value, lastProp.current) && JSON.stringify(value) !== JSON.stringify(lastProp.current)) {
    lastProp.current = value;
    if (!Object.is(local, value)) setLocal(value);
  }
  return [local, setLocal];
}

const numberText = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? '' : String(n));
const parseNumber = (s: string) => (s.trim() === '' ? Number.NaN : Number(s.replace(/,/g, '')));

function NumericInput(p: NumberInputProps & { prefix?: string | undefined }) {
  const id = useId();
  const t = useCommittedText(numberText(p.value), numberText(p.defaultValue));
  const commit = () => {
    let n = parseNumber(t.text);
    if (!Number.isNaN(n)) {
      if (p.min !== undefined && n < p.min) n = p.min;
      if (p.max !== undefined && n > p.max) n = p.max;
    }
    const shown = numberText(n);
    if (shown !== t.text) t.setText(shown);
    t.commit((s) => p.onChange?.(parseNumber(s)), shown);
  };
  return (
    <FieldFrame {...p} id={id}>
      <div className={cx('rh-input-group', p.prefix && 'has-prefix')}>
        {p.prefix ? <span className="rh-input-prefix">{p.prefix}</span> : null}
        <input
          id={id}
          name={p.name}
          className="rh-input"
          inputMode="decimal"
          value={t.text}
          placeholder={p.placeholder}
          readOnly={p.readOnly}
          required={p.required}
          style={{ textAlign: p.textAlign ?? 'left' }}
          aria-invalid={p.error || undefined}
          onChange={(e) => {
            const s = e.target.value.replace(/[^0-9.,-]/g, '');
            t.setText(s);
            p.onInput?.(parseNumber(s));
          }}
          onFocus={() => p.onFocus?.(parseNumber(t.text))}
          onBlur={() => {
            commit();
            p.onBlur?.(parseNumber(t.text));
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit();
          }}
        />
      </div>
    </FieldFrame>
  );
}

function NumberInput(p: NumberInputProps) {
  return <NumericInput {...p} />;
}

function CurrencyInput(p: CurrencyInputProps) {
  return <NumericInput {...p} prefix={p.currency ?? 'USD'} />;
}

const two = (n: number) => String(n).padStart(2, '0');
const isoOf = (d: BaseDate | null | undefined) =>
  d ? `${String(d.year).padStart(4, '0')}-${two(d.month + 1)}-${two(d.date)}` : '';

function formatDate(d: BaseDate, format: DateInputProps['format']): string {
  if (!format || format === 'YYYY-MM-DD') return isoOf(d);
  const date = new Date(d.year, d.month, d.date);
  const style = format === 'long' || format === 'LL' ? 'long' : format === 'short' ? 'short' : 'medium';
  return new Intl.DateTimeFormat(undefined, { dateStyle: style }).format(date);
}

function DateInput(p: DateInputProps) {
  const id = useId();
  const [value, setValue] = useMirrored(isoOf(p.value ?? p.defaultValue));
  const emit = (iso: string) => {
    setValue(iso);
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    if (!m) {
      p.onChange?.(null as never);
      return;
    }
    const d = { year: Number(m[1]), month: Number(m[2]) - 1, date: Number(m[3]) };
    p.onChange?.({ ...d, formattedDate: formatDate(d, p.format) });
  };
  return (
    <FieldFrame {...p} id={id}>
      <div className="rh-date">
        <input
          id={id}
          name={p.name}
          className="rh-input rh-date__input"
          type="date"
          value={value}
          min={p.min ? isoOf(p.min) : undefined}
          max={p.max ? isoOf(p.max) : undefined}
          readOnly={p.readOnly}
          required={p.required}
          aria-invalid={p.error || undefined}
          onChange={(e) => emit(e.target.value)}
        />
        {!p.readOnly ? (
          <span className="rh-date__buttons">
            <button
              type="button"
              className="rh-link-button"
              onClick={() => {
                const now = new Date();
                emit(`${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}`);
              }}
            >
              {p.todayButtonLabel ?? 'Today'}
            </button>
            {value ? (
              <button type="button" className="rh-link-button" onClick={() => emit('')}>
                {p.clearButtonLabel ?? 'Clear'}
              </button>
            ) : null}
          </span>
        ) : null}
      </div>
    </FieldFrame>
  );
}

function Select(p: SelectProps) {
  const id = useId();
  const [value, setValue] = useMirrored(p.value);
  const index = p.options.findIndex((o) => o.value === value);
  return (
    <FieldFrame {...p} id={id}>
      <select
        id={id}
        name={p.name}
        className={cx('rh-input', 'rh-select', index < 0 && 'is-placeholder')}
        value={index < 0 ? '' : String(index)}
        disabled={p.readOnly}
        required={p.required}
        aria-invalid={p.error || undefined}
        onChange={(e) => {
          const chosen = p.options[Number(e.target.value)];
          if (!chosen) return;
          setValue(chosen.value);
          p.onChange?.(chosen.value);
        }}
      >
        <option value="" disabled>
          {p.placeholder ?? 'Select an option'}
        </option>
        {p.options.map((o, i) => (
          <option key={String(o.value)} value={String(i)}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

function MultiSelect(p: MultiSelectProps) {
  const id = useId();
  const [selected, setSelected] = useMirrored(p.value ?? []);
  const choose = (next: NonNullable<MultiSelectProps['value']>) => {
    setSelected(next);
    p.onChange?.(next);
  };
  const chosen = p.options.filter((o) => selected.includes(o.value));
  const rest = p.options.filter((o) => !selected.includes(o.value));
  return (
    <FieldFrame {...p} id={id}>
      <div className={cx('rh-input', 'rh-multi')}>
        {chosen.map((o) => (
          <span key={String(o.value)} className="rh-tag is-default is-inline">
            {o.label}
            {!p.readOnly ? (
              <button
                type="button"
                className="rh-tag__remove"
                aria-label={`Remove ${o.label}`}
                onClick={() => choose(selected.filter((v) => v !== o.value))}
              >
                ×
              </button>
            ) : null}
          </span>
        ))}
        {!p.readOnly && rest.length > 0 ? (
          <select
            id={id}
            name={p.name}
            className="rh-multi__add"
            value=""
            aria-label={p.label}
            onChange={(e) => {
              const o = rest[Number(e.target.value)];
              if (o) choose([...selected, o.value]);
            }}
          >
            <option value="" disabled>
              {chosen.length === 0 ? (p.placeholder ?? 'Select options') : 'Add…'}
            </option>
            {rest.map((o, i) => (
              <option key={String(o.value)} value={String(i)}>
                {o.label}
              </option>
            ))}
          </select>
        ) : null}
      </div>
    </FieldFrame>
  );
}

function Toggle(p: ToggleProps) {
  const id = useId();
  const [local, setLocal] = useState(p.initialIsChecked ?? false);
  const checked = p.checked ?? local;
  const readOnly = p.readOnly ?? p.readonly ?? false;
  const labelDisplay = p.labelDisplay ?? 'inline';
  const sw = (
    <button
      id={id}
      type="button"
      role="switch"
      aria-checked={checked}
      aria-label={labelDisplay === 'hidden' ? p.label : undefined}
      className={cx('rh-toggle', checked && 'is-on', `is-${SIZE[p.size ?? 'md'] ?? 'md'}`)}
      disabled={readOnly}
      onClick={() => {
        setLocal(!checked);
        p.onChange?.(!checked);
      }}
      {...tid(p)}
    >
      <span className="rh-toggle__knob" />
      {p.textChecked || p.textUnchecked ? (
        <span className="rh-toggle__text">{checked ? p.textChecked : p.textUnchecked}</span>
      ) : null}
    </button>
  );
  if (labelDisplay === 'hidden') return sw;
  return (
    <div className={cx('rh-toggle-field', labelDisplay === 'top' ? 'is-top' : 'is-inline')}>
      <label className="rh-field__label" htmlFor={id}>
        {p.label}
      </label>
      {sw}
    </div>
  );
}

function Checkbox(p: CheckboxProps & { type?: 'checkbox' | 'radio' }) {
  const [local, setLocal] = useState(p.initialIsChecked ?? false);
  const checked = p.checked ?? local;
  return (
    <label className={cx('rh-check', p.inline && 'is-inline')} {...tid(p)}>
      <input
        type={p.type ?? 'checkbox'}
        name={p.name}
        value={p.value}
        checked={checked}
        disabled={p.readOnly ?? p.readonly}
        onChange={(e) => {
          setLocal(e.target.checked);
          p.onChange?.(e.target.checked, p.value ?? '');
        }}
      />
      <span>
        {p.children}
        {p.description ? <span className="rh-field__description">{p.description}</span> : null}
      </span>
    </label>
  );
}

function RadioButton(p: CheckboxProps) {
  return <Checkbox {...p} type="radio" />;
}

// ─── media ───

function Image(p: ImageProps) {
  const trigger = useOverlayTrigger(p.overlay);
  const href = hrefOf(p.href);
  const img = <img src={p.src} alt={p.alt ?? ''} width={p.width} height={p.height} {...tid(p)} />;
  return (
    <>
      {href ? (
        <a href={href.url} {...(href.external ? { target: '_blank', rel: 'noopener noreferrer' } : {})}>
          {img}
        </a>
      ) : (
        img
      )}
      {trigger.node}
    </>
  );
}

function Accordion(p: AccordionProps) {
  return (
    <details className="rh-accordion" open={p.defaultOpen ?? p.open} {...tid(p)}>
      <summary>{p.title}</summary>
      <div className="rh-accordion__body">{p.children}</div>
    </details>
  );
}

/**
 * Every remote component name the cards use, plus the overlays and a few common companions. A name that is not
 * here renders as a labelled placeholder (see `unmappedComponent`).
 */
export const COMPONENTS: Record<string, ComponentType<never>> = {
  Accordion,
  Alert,
  AutoGrid,
  BarChart,
  Box,
  Button,
  ButtonRow,
  Checkbox,
  CurrencyInput,
  DateInput,
  DescriptionList,
  DescriptionListItem,
  Divider,
  EmptyState,
  ErrorState,
  Flex,
  Form,
  Heading,
  Image,
  Inline,
  Input,
  LineChart: BarChart,
  Link,
  List,
  LoadingButton,
  LoadingSpinner,
  Modal,
  ModalBody: OverlayBody,
  ModalFooter: OverlayFooter,
  MultiSelect,
  NumberInput,
  Panel,
  PanelBody: OverlayBody,
  PanelFooter: OverlayFooter,
  PanelSection,
  ProgressBar,
  RadioButton,
  Select,
  Spacer,
  Stack,
  Statistics,
  StatisticsItem,
  StatisticsTrend,
  StatusTag,
  Table,
  TableBody,
  TableCell,
  TableFooter,
  TableHead,
  TableHeader,
  TableRow,
  Tag,
  Text,
  TextArea,
  Textarea: TextArea,
  Tile,
  Toggle,
} as Record<string, ComponentType<never>>;

/** What a component the preview has no HTML for renders as: its name, and its children. */
export function unmappedComponent(name: string): ComponentType<never> {
  // biome-ignore lint/correctness/noComponentHookFactories: one component per unknown name, made once and cached by the controller
  function Unmapped(p: WithChildren) {
    return (
      <div className="rh-unmapped" data-component={name}>
        <span className="rh-unmapped__label">{`<${name}> is not rendered by the local preview`}</span>
        {p.children}
      </div>
    );
  }
  Unmapped.displayName = `Unmapped(${name})`;
  return Unmapped as ComponentType<never>;
}
