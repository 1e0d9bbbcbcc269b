/**
 * The page around the cards, after HubSpot's: the top navigation with the demo's user switcher, a record page
 * (left: the record; middle: tabs with the deal card; right: sidebar cards), the app's settings page and the app
 * home page. Each card goes into an `ExtensionSlot`, mounted by main.tsx.
 */
import { type ReactNode, useEffect, useRef, useState } from 'react';
import type { PreviewBootstrap, PreviewPerson, PreviewRecord } from '../bootstrap.js';

export interface Toast {
  id: number;
  type: string;
  title: string;
  message: string;
}

export interface ChromeProps {
  boot: PreviewBootstrap;
  person: PreviewPerson;
  toasts: Toast[];
  dismissToast: (id: number) => void;
  /** Mounts card `slot` into `element`; answers the unmount. */
  mount: (slot: SlotName, element: HTMLElement) => () => void;
}

export type SlotName = 'checklist' | 'payment-status' | 'settings' | 'home';

function ExtensionSlot({ slot, mount }: { slot: SlotName; mount: ChromeProps['mount'] }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    return mount(slot, ref.current);
  }, [slot, mount]);
  return <div ref={ref} className="rh-extension" data-slot={slot} />;
}

function UserSwitcher({ boot, person }: { boot: PreviewBootstrap; person: PreviewPerson }) {
  return (
    <label className="rh-switcher">
      <span>Viewing as</span>
      <select
        aria-label="Viewing as"
        value={person.key}
        onChange={(e) => {
          const url = new URL(window.location.href);
          url.searchParams.set('as', e.target.value);
          window.location.assign(url.toString());
        }}
      >
        {boot.people.map((p) => (
          <option key={p.key} value={p.key}>
            {p.name}
          </option>
        ))}
      </select>
    </label>
  );
}

const withAs = (href: string, as: string) => `${href}${href.includes('?') ? '&' : '?'}as=${encodeURIComponent(as)}`;

function Nav({ boot, person }: { boot: PreviewBootstrap; person: PreviewPerson }) {
  return (
    <header className="rh-nav">
      <a className="rh-nav__brand" href={withAs('/', boot.as)}>
        <span className="rh-nav__logo" aria-hidden="true">
          ◆
        </span>
        {boot.appName} <span className="rh-nav__demo">demo portal {boot.portal.id}</span>
      </a>
      <nav className="rh-nav__links">
        <a href={withAs('/', boot.as)}>Demo records</a>
        <a href={withAs('/preview/home', boot.as)}>App home</a>
        <a href={withAs('/preview/settings', boot.as)}>Settings</a>
      </nav>
      <UserSwitcher boot={boot} person={person} />
    </header>
  );
}

function Toasts({ toasts, dismiss }: { toasts: Toast[]; dismiss: (id: number) => void }) {
  if (toasts.length === 0) return null;
  return (
    <div className="rh-toasts">
      {toasts.map((t) => (
        <div key={t.id} className={`rh-alert is-${t.type === 'error' ? 'danger' : t.type} rh-toast`} role="status">
          <button type="button" className="rh-overlay-close" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
            ×
          </button>
          <p className="rh-alert__title">{t.title}</p>
          {t.message ? <div className="rh-alert__body">{t.message}</div> : null}
        </div>
      ))}
    </div>
  );
}

/** A CRM card as the record page frames it: title bar with the app's name, then the extension. */
function CrmCard({ title, appName, children }: { title: string; appName: string; children: ReactNode }) {
  const [open, setOpen] = useState(true);
  return (
    <section className="rh-crm-card" aria-label={title}>
      <button type="button" className="rh-crm-card__header" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span className="rh-caret" aria-hidden="true">
          {open ? '▾' : '▸'}
        </span>
        <span className="rh-crm-card__title">{title}</span>
        <span className="rh-crm-card__app">{appName}</span>
      </button>
      <div className="rh-crm-card__body" hidden={!open}>
        {children}
      </div>
    </section>
  );
}

function initials(name: string) {
  return name
    .split(/\s+/)
    .filter((w) => /^[A-Za-z]/.test(w))
    .slice(0, 2)
    .map((w) => w[0]?.toUpperCase())
    .join('');
}

function RecordSummary({ record, as }: { record: PreviewRecord; as: string }) {
  const plural = record.objectType === 'deal' ? 'Deals' : 'Companies';
  return (
    <aside className="rh-record__left">
      <a className="rh-back" href={withAs('/', as)}>
        ‹ {plural}
      </a>
      <div className="rh-record__identity">
        <span className={`rh-avatar is-${record.objectType}`}>{initials(record.name)}</span>
        <h1 className="rh-record__name">{record.name}</h1>
      </div>
      <div className="rh-record__section">
        <h2>About this {record.objectType}</h2>
        <dl className="rh-props">
          {record.properties.map((p) => (
            <div key={p.label}>
              <dt>{p.label}</dt>
              <dd>{p.value || '—'}</dd>
            </div>
          ))}
        </dl>
      </div>
    </aside>
  );
}

function Associations({ record, as }: { record: PreviewRecord; as: string }) {
  if (record.associations.length === 0) return null;
  return (
    <section className="rh-crm-card rh-associations" aria-label="Associations">
      <div className="rh-crm-card__header is-static">
        <span className="rh-crm-card__title">Associations ({record.associations.length})</span>
      </div>
      <ul className="rh-crm-card__body">
        {record.associations.map((a) => (
          <li key={a.href}>
            <span className="rh-assoc__type">{a.label}</span>
            <a className="rh-link" href={withAs(a.href, as)}>
              {a.name}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

function RecordPage({
  boot,
  record,
  mount,
}: {
  boot: PreviewBootstrap;
  record: PreviewRecord;
  mount: ChromeProps['mount'];
}) {
  const isDeal = record.objectType === 'deal';
  return (
    <div className="rh-record">
      <RecordSummary record={record} as={boot.as} />
      <main className="rh-record__middle">
        <div className="rh-tabs" aria-hidden="true">
          <span className={isDeal ? undefined : 'is-selected'}>Overview</span>
          <span>Activities</span>
          {isDeal ? <span className="is-selected">Handoff</span> : null}
        </div>
        {isDeal ? (
          <CrmCard title="Handoff checklist" appName={boot.appName}>
            <ExtensionSlot slot="checklist" mount={mount} />
          </CrmCard>
        ) : (
          <div className="rh-crm-card rh-placeholder-card">
            <p>
              The company&apos;s own overview and activities live here in HubSpot. Revenue Handoff adds the{' '}
              <strong>Payment status</strong> card in the right sidebar.
            </p>
          </div>
        )}
      </main>
      <aside className="rh-record__right">
        <CrmCard title="Payment status" appName={boot.appName}>
          <ExtensionSlot slot="payment-status" mount={mount} />
        </CrmCard>
        <Associations record={record} as={boot.as} />
      </aside>
    </div>
  );
}

function AppPage({
  title,
  crumbs,
  tab,
  children,
}: {
  title: string;
  crumbs: string;
  tab: string;
  children: ReactNode;
}) {
  return (
    <div className="rh-app-page">
      <div className="rh-app-page__header">
        <p className="rh-crumbs">{crumbs}</p>
        <h1>{title}</h1>
        <div className="rh-tabs" aria-hidden="true">
          <span className="is-selected">{tab}</span>
        </div>
      </div>
      <div className="rh-app-page__body">{children}</div>
    </div>
  );
}

/** The whole preview page for the bootstrap's page kind. */
export function Chrome({ boot, person, toasts, dismissToast, mount }: ChromeProps) {
  const page = boot.page;
  let body: ReactNode;
  switch (page.kind) {
    case 'deal':
    case 'company':
      body = <RecordPage boot={boot} record={page.record} mount={mount} />;
      break;
    case 'settings':
      body = (
        <AppPage title={boot.appName} crumbs="Settings › Integrations › Connected apps" tab="Settings">
          <ExtensionSlot slot="settings" mount={mount} />
        </AppPage>
      );
      break;
    case 'home':
      body = (
        <AppPage title={boot.appName} crumbs="Apps" tab="Home">
          <ExtensionSlot slot="home" mount={mount} />
        </AppPage>
      );
      break;
  }
  return (
    <>
      <Nav boot={boot} person={person} />
      <Toasts toasts={toasts} dismiss={dismissToast} />
      {body}
      <footer className="rh-footer">
        Local preview: the real cards, rendered by a fake HubSpot worker host. Requests are signed by this demo server
        as HubSpot would sign them, as {person.name} ({person.roleLabel}).
      </footer>
    </>
  );
}
