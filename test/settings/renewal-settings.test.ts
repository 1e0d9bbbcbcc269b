import { describe, expect, it } from '@jest/globals';
import { isDomainError } from '../../src/core/errors.js';
import { parsePortalSettings } from '../../src/settings/portal-settings.js';

const refusal = (input: unknown) => {
  try {
    parsePortalSettings(input);
  } catch (e) {
    if (isDomainError(e)) return { path: e.path, message: e.message };
    throw e;
  }
  throw new Error('accepted');
};

describe('renewal settings', () => {
  it('default to a handoff 90 days before renewal, reminders at 60 and 30, and no renewal deal', () => {
    expect(parsePortalSettings({}).renewals).toEqual({ leadDays: 90, reminderDays: [60, 30], createDeal: false });
  });

  it('keep reminders in countdown order', () => {
    const s = parsePortalSettings({ renewals: { leadDays: 120, reminderDays: [14, 90, 45], createDeal: false } });
    expect(s.renewals.reminderDays).toEqual([90, 45, 14]);
  });

  it('refuse a reminder the lead cannot hold, naming the field, the value and what is accepted', () => {
    const r = refusal({ renewals: { leadDays: 90, reminderDays: [120, 30], createDeal: false } });
    expect(r.path).toBe('settings.renewals.reminderDays[0]');
    expect(r.message).toContain('120');
    expect(r.message).toContain('accepted: 1–89');
  });

  it('refuse day counts that are not whole days from 1 to 365', () => {
    expect(refusal({ renewals: { leadDays: 0, reminderDays: [], createDeal: false } }).path).toBe(
      'settings.renewals.leadDays',
    );
    expect(refusal({ renewals: { leadDays: 400, reminderDays: [], createDeal: false } }).message).toContain(
      'at most 365 days',
    );
    expect(refusal({ renewals: { leadDays: 90, reminderDays: [30.5], createDeal: false } }).message).toContain(
      'whole number of days',
    );
  });

  it('require a pipeline and stage when renewal deals are created', () => {
    const r = refusal({ renewals: { leadDays: 90, reminderDays: [], createDeal: true, pipelineId: 'default' } });
    expect(r.path).toBe('settings.renewals.stageId');
    expect(r.message).toContain('is required when renewal deals are created');
  });
});
