import { describe, expect, it } from '@jest/globals';
import { auditCsv, formatAuditTable, parseAuditArgs } from '../../scripts/audit.js';
import { monthlyAudit } from '../../src/metrics/audit.js';
import { thrown } from '../receivables/fixtures.js';

const audit = monthlyAudit(
  {
    handoffEvents: [{ handoffId: 'h1', kind: 'rejected', at: '2026-03-02T10:00:00Z', reason: 'missing, "PO"' }],
    manualCorrections: [{ system: 'xero', field: 'paymentTerms', at: '2026-03-03T10:00:00Z' }],
  },
  { month: '2026-03', now: new Date('2026-04-10T00:00:00Z'), timeZone: 'UTC', trendMonths: 1 },
);

describe('npm run audit', () => {
  it('reads --month, --portal, --csv and --json', () => {
    expect(parseAuditArgs(['--month', '2026-03', '--portal', '62515', '--csv', 'out.csv', '--json'])).toEqual({
      month: '2026-03',
      portal: 62515,
      csv: 'out.csv',
      json: true,
    });
    expect(parseAuditArgs([])).toEqual({});
  });

  it('refuses bad input naming the option, the value and what is accepted', () => {
    const month = thrown(() => parseAuditArgs(['--month', '2026-13']));
    expect(month.path).toBe('month');
    expect(month.message).toContain('"2026-13"');
    expect(month.message).toContain('01 to 12');
    const portal = thrown(() => parseAuditArgs(['--portal', 'acme']));
    expect(portal.path).toBe('portal');
    expect(portal.message).toContain('"acme" is not a HubSpot portal id');
    const unknown = thrown(() => parseAuditArgs(['--mnth', '2026-03']));
    expect(unknown.message).toContain('--mnth');
    expect(unknown.message).toContain('Usage: npm run audit');
  });

  it('prints an aligned table and writes CSV with quoting', () => {
    const table = formatAuditTable(audit).split('\n');
    expect(table[0]).toBe('Monthly audit 2026-03 (UTC)');
    const rows = table.slice(2).filter(Boolean);
    // Every value starts in the same column, two spaces after the longest label.
    const column = Math.max(...rows.map((l) => l.search(/ {2}\S+$/)));
    expect(rows.every((l) => /^\S/.test(l.slice(column + 2)))).toBe(true);
    expect(table.find((l) => l.startsWith('Handoffs rejected'))).toMatch(/ 1$/);
    expect(table.find((l) => l.startsWith('Corrected in: Xero'))).toMatch(/ 1$/);
    expect(table.find((l) => l.startsWith('Corrected field: Payment terms'))).toMatch(/ 1$/);
    const csv = auditCsv(audit).split('\n');
    expect(csv[0]).toBe('figure,value');
    expect(csv).toContain('Month,2026-03');
    expect(csv).toContain('"Rejected: missing, ""PO""",1');
  });
});
