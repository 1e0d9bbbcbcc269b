/**
 * Who may act on a held (scheduled) invoice from the deal card: customer success, finance and RevOps record that the
 * customer accepted a milestone; finance and RevOps cancel an invoice before it is issued. The server enforces the
 * same lists (src/app/milestones.ts); the view uses them to offer only the buttons that will work.
 */
export const DELIVERY_ROLES: ReadonlyArray<string> = ['customer_success', 'finance', 'revops', 'system'];
export const FINANCE_ROLES: ReadonlyArray<string> = ['finance', 'revops', 'system'];

const any = (roles: ReadonlyArray<string>, allowed: ReadonlyArray<string>) => roles.some((r) => allowed.includes(r));

/**
 * The actions a user has on one created-or-held invoice row.
 * @example invoiceActions(['finance'], { status: 'scheduled', issueDate: null }, 'm1') // { canMarkAccepted: true, canCancel: true }
 */
export function invoiceActions(
  roles: ReadonlyArray<string>,
  row: { status: string; issueDate: string | null },
  milestoneId: string | null,
): { canMarkAccepted: boolean; canCancel: boolean } {
  const held = row.status === 'scheduled';
  return {
    // A milestone invoice gets its issue date when the acceptance is recorded: until then it has none.
    canMarkAccepted: held && milestoneId !== null && row.issueDate === null && any(roles, DELIVERY_ROLES),
    canCancel: held && any(roles, FINANCE_ROLES),
  };
}
