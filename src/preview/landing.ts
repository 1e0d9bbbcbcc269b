import type { PreviewPerson } from './bootstrap.js';
import type { CompanyRow, DealRow } from './directory.js';
import { esc } from './html.js';

const STATE_VARIANT: Record<string, string> = {
  Draft: 'default',
  Submitted: 'info',
  Accepted: 'success',
  Rejected: 'danger',
  'Billing setup pending': 'info',
  'Billing live': 'success',
  'Billing setup failed': 'danger',
  'Billing being set up': 'info',
};

export interface LandingInput {
  people: ReadonlyArray<PreviewPerson & { does: string }>;
  as: PreviewPerson;
  deals: ReadonlyArray<DealRow>;
  companies: ReadonlyArray<CompanyRow>;
  portalId: number;
  /** null: the preview is mounted; otherwise why not, and how to enable it. */
  previewUnavailable: string | null;
}

const withAs = (href: string, as: string) => `${href}${href.includes('?') ? '&' : '?'}as=${encodeURIComponent(as)}`;

function status(label: string): string {
  return `<span class="status is-${STATE_VARIANT[label] ?? 'default'}"><i></i>${esc(label)}</span>`;
}

/** GET / in the demo: what the app is, the people (with a switcher), the records with links to each card. */
export function landingPage(input: LandingInput): string {
  const { as, deals, companies } = input;
  const preview = input.previewUnavailable === null;
  const link = (href: string, text: string) =>
    preview ? `<a href="${esc(withAs(href, as.key))}">${esc(text)}</a>` : `<span class="muted">${esc(text)}</span>`;
  const byState = (state: string) => deals.find((d) => d.handoffs.some((h) => h.state === state));
  const draft = deals.find((d) => d.handoffs.length > 0 && d.handoffs.every((h) => h.state === 'Draft'));
  const rejected = byState('Rejected');
  const submitted = byState('Submitted');
  const overdueCompany = companies.find((c) => c.overdue);
  const failedBilling = deals.find((d) => d.billing === 'Billing setup failed');
  const companyLink = (c: CompanyRow | undefined, fallback: string) =>
    c && preview
      ? `<a href="${esc(withAs(`/preview/company/${encodeURIComponent(c.id)}`, as.key))}">${esc(c.name)}</a>`
      : esc(fallback);
  const dealLink = (d: DealRow | undefined, who: string, fallback: string) =>
    d && preview
      ? `<a href="${esc(withAs(`/preview/deal/${encodeURIComponent(d.id)}`, who))}">${esc(d.name)}</a>`
      : esc(fallback);

  const people = input.people
    .map(
      (p) => `<tr${p.key === as.key ? ' class="current"' : ''}>
        <td><strong>${esc(p.name)}</strong><div class="muted">user ${esc(p.id)} · ${esc(p.email)}</div></td>
        <td>${esc(p.roleLabel)}</td>
        <td>${esc(p.does)}</td>
        <td>${p.key === as.key ? '<span class="muted">viewing as</span>' : `<a href="/?as=${esc(p.key)}">View as</a>`}</td>
      </tr>`,
    )
    .join('');

  const dealRows = deals
    .map(
      (d) => `<tr>
        <td>${link(`/preview/deal/${encodeURIComponent(d.id)}`, d.name)}<div class="muted">${esc(d.stage)}${
          d.amount ? ` · ${esc(d.amount)}` : ''
        }</div></td>
        <td>${d.company ? link(`/preview/company/${encodeURIComponent(d.company.id)}`, d.company.name) : '—'}</td>
        <td>${
          d.handoffs.length === 0
            ? '<span class="muted">no handoff yet</span>'
            : d.handoffs
                .map((h) => `<div class="handoff"><span>${esc(h.template)}</span>${status(h.state)}</div>`)
                .join('')
        }${d.billing ? `<div class="handoff"><span>Billing</span>${status(d.billing)}</div>` : ''}</td>
        <td class="actions">${link(`/preview/deal/${encodeURIComponent(d.id)}`, 'Handoff checklist')}${
          d.company ? link(`/preview/company/${encodeURIComponent(d.company.id)}`, 'Payment status') : ''
        }</td>
      </tr>`,
    )
    .join('');

  const companyRows = companies
    .map(
      (c) => `<tr>
        <td>${link(`/preview/company/${encodeURIComponent(c.id)}`, c.name)}</td>
        <td>${esc(c.domain)}</td>
        <td>${c.dealCount}</td>
        <td>${c.overdue ? `<span class="status is-danger"><i></i>${esc(c.overdue)} overdue</span>` : '<span class="muted">—</span>'}</td>
        <td class="actions">${link(`/preview/company/${encodeURIComponent(c.id)}`, 'Payment status')}</td>
      </tr>`,
    )
    .join('');

  const switcher = `<form class="switcher" method="get" action="/">
      <label for="as">Viewing as</label>
      <select id="as" name="as">${input.people
        .map((p) => `<option value="${esc(p.key)}"${p.key === as.key ? ' selected' : ''}>${esc(p.name)}</option>`)
        .join('')}</select>
      <button type="submit">Switch</button>
    </form>`;

  const unavailable = input.previewUnavailable
    ? `<div class="notice"><strong>The card preview is not available.</strong> ${esc(input.previewUnavailable)}</div>`
    : '';

  const walk = preview
    ? `<ol class="walk">
        <li>As <strong>Riley (Sales)</strong>, open ${dealLink(draft, 'rep', 'a draft deal')}: the checklist shows what is
        still missing. Fill a field (the kickoff date, the reporting format), leave it, press <em>Save changes</em>
        and watch its tag turn OK.</li>
        <li>Still as Riley, open ${dealLink(rejected, 'rep', 'the rejected deal')}: Customer Success rejected it with a
        reason. <em>Edit</em> the goals, save, and <em>Resubmit to Customer Success</em>.</li>
        <li>Switch to <strong>Casey (CSM)</strong> with <em>Viewing as</em> and accept it — or open
        ${dealLink(submitted, 'csm', 'a submitted deal')}, waiting for review. Rejecting needs a reason and a note.</li>
        <li>Casey fills in the CS → Finance handoff and submits it; <strong>Frankie (Finance)</strong> accepts it, and the
        workers set billing up in the finance system: customer, terms and the invoice schedule.</li>
        <li>Each company's <em>Payment status</em> card sits in the record sidebar, fed by the finance system (here
        a local QuickBooks sandbox). ${companyLink(overdueCompany, 'A company with overdue invoices')} shows the
        banner, on the company and on its deals. ${dealLink(failedBilling, 'finance', 'A deal whose billing setup failed')}
        shows finance why QuickBooks refused it, with a retry.</li>
        <li>As <strong>Robin (RevOps)</strong>, open ${link('/preview/settings', 'Settings')} (finance connection,
        thresholds, people and roles, templates) and the ${link('/preview/home', 'app home')} (revenue-readiness
        metrics).</li>
      </ol>`
    : '';

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Revenue Handoff · demo</title>
<link rel="icon" href="data:,">
<style>${LANDING_CSS}</style>
</head>
<body>
<header class="nav"><span class="brand"><b>◆</b> Revenue Handoff <small>demo portal ${input.portalId}</small></span>${switcher}</header>
<main>
  <section class="intro">
    <h1>Revenue Handoff</h1>
    <p>A HubSpot CRM app for the moment a deal is won. Sales hands the customer to Customer Success, and Customer
    Success to Finance, through a checklist on the deal that knows which answers are still missing; the receiving
    team accepts or rejects with a reason, against an SLA. An accepted finance handoff sets up billing in QuickBooks,
    Xero or Stripe, and overdue invoices come back to HubSpot as a banner on the company and its deals.</p>
    <p class="muted">This is the local demo: a HubSpot sandbox for portal ${input.portalId} and a QuickBooks Online
    sandbox on this machine, an in-memory database, and deals seeded in every handoff state by the app's own services
    and workers. The cards are the real card components, rendered outside HubSpot; their requests are signed as
    HubSpot signs them. Everything starts fresh on each <code>npm start</code>.</p>
    ${unavailable}
  </section>

  <section>
    <h2>Walk the flow</h2>
    ${walk || '<p class="muted">The walk-through needs the card preview (see above).</p>'}
  </section>

  <section>
    <h2>The demo's people</h2>
    <p class="muted">Roles come from the portal's app settings. The card preview sends requests as the person you view as.</p>
    <table><thead><tr><th>Person</th><th>Role</th><th>What they do here</th><th></th></tr></thead><tbody>${people}</tbody></table>
  </section>

  <section>
    <h2>Deals (${deals.length})</h2>
    <table><thead><tr><th>Deal</th><th>Company</th><th>Handoffs</th><th>Preview</th></tr></thead><tbody>${dealRows}</tbody></table>
  </section>

  <section>
    <h2>Companies (${companies.length})</h2>
    <table><thead><tr><th>Company</th><th>Domain</th><th>Deals</th><th>Invoices</th><th>Preview</th></tr></thead><tbody>${companyRows}</tbody></table>
  </section>

  <section class="pair">
    <div>
      <h2>App pages</h2>
      <ul>
        <li>${link('/preview/settings', 'Settings')} — finance connection, failed setups, banner thresholds, people and roles, handoff templates (RevOps edits).</li>
        <li>${link('/preview/home', 'App home')} — revenue-readiness metrics: close → billing → first invoice, late invoices, overdue share, DSO, acceptance rate, SLA breaches, accounts at risk.</li>
      </ul>
    </div>
    <div>
      <h2>Server</h2>
      <ul>
        <li><a href="/health">/health</a> — database and migration status (JSON), for load balancers.</li>
        <li><code>POST /api/&lt;name&gt;</code> — the card API; requires HubSpot's v3 signature.</li>
        <li><code>GET /oauth/hubspot/install</code> — installs the app into a real portal once credentials are in <code>.env</code>.</li>
      </ul>
    </div>
  </section>
</main>
</body>
</html>`;
}

const LANDING_CSS = `
*{box-sizing:border-box}
body{margin:0;background:#f5f8fa;color:#33475b;font:14px/1.6 "Lexend Deca","Avenir Next",Helvetica,Arial,sans-serif}
a{color:#0091ae;font-weight:500;text-decoration:none}a:hover{text-decoration:underline}
code{padding:1px 4px;border-radius:3px;background:#eaf0f6;font-size:13px}
.nav{display:flex;align-items:center;justify-content:space-between;height:52px;padding:0 24px;background:#2d3e50;color:#fff}
.brand{font-weight:600}.brand b{color:#ff7a59}.brand small{margin-left:8px;padding:1px 8px;border-radius:10px;background:rgba(255,255,255,.12);color:#dfe3eb;font-weight:400}
.switcher{display:flex;align-items:center;gap:8px;font-size:13px;color:#cbd6e2}
.switcher select{padding:4px 8px;border-radius:3px;border:1px solid #516f90;font:inherit}
.switcher button{padding:5px 12px;border:1px solid #ff7a59;border-radius:3px;background:#ff7a59;color:#fff;font:inherit;font-weight:500;cursor:pointer}
main{max-width:1120px;margin:0 auto;padding:24px 32px 48px}
section{margin-bottom:24px;padding:20px 24px;border:1px solid #cbd6e2;border-radius:4px;background:#fff}
h1{margin:0 0 8px;font-size:28px;font-weight:600}h2{margin:0 0 8px;font-size:18px;font-weight:600}
.intro p{max-width:860px}
.muted{color:#516f90;font-size:13px}
.notice{margin-top:12px;padding:12px 16px;border:1px solid #f5c26b;border-radius:3px;background:#fef8f0}
table{width:100%;border-collapse:collapse;border:1px solid #cbd6e2}
th{padding:10px 12px;background:#f5f8fa;border-bottom:1px solid #cbd6e2;font-size:12px;font-weight:600;text-transform:uppercase;text-align:left;letter-spacing:.02em}
td{padding:10px 12px;border-top:1px solid #dfe3eb;vertical-align:top}
tr.current td{background:#e5f5f8}
td.actions a,td.actions span{display:block}
.handoff{display:flex;justify-content:space-between;gap:12px;font-size:13px}
.status{display:inline-flex;align-items:center;gap:6px;white-space:nowrap}
.status i{width:9px;height:9px;border-radius:50%;background:#99afc4}
.status.is-info i{background:#00a4bd}.status.is-success i{background:#00bda5}.status.is-warning i{background:#f5c26b}.status.is-danger i{background:#f2545b}
.walk li{margin-bottom:6px}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:24px}
.pair ul{margin:0;padding-left:18px}
`;
