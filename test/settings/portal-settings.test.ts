import { describe, expect, it } from '@jest/globals';
import { accessOf, DEFAULT_PORTAL_SETTINGS, parsePortalSettings } from '../../src/settings/portal-settings.js';

describe('portal settings', () => {
  it('fills every default for a new installation', () => {
    expect(DEFAULT_PORTAL_SETTINGS).toMatchObject({
      timeZone: 'UTC',
      users: {},
      defaultRoles: ['sales'],
      bannerThresholds: { warningFromDaysPastDue: 1, dangerFromDaysPastDue: 30 },
    });
  });

  it('gives a listed user their roles and teams on top of the default role', () => {
    const s = parsePortalSettings({ users: { '77': { roles: ['finance'], teams: ['finance'] } } });
    expect(accessOf(s, '77')).toEqual({ roles: ['sales', 'finance'], teams: ['finance'] });
    expect(accessOf(s, '78')).toEqual({ roles: ['sales'], teams: [] });
  });

  it('names the bad field: an unknown role, a bad time zone, a non-numeric user id', () => {
    expect(() => parsePortalSettings({ users: { '77': { roles: ['cfo'] } } })).toThrow(
      'settings.users.77.roles[0]: must be one of sales, customer_success, finance, revops',
    );
    expect(() => parsePortalSettings({ timeZone: 'Mars/Olympus' })).toThrow(
      'settings.timeZone: is not a known IANA time zone',
    );
    expect(() => parsePortalSettings({ users: { alice: {} } })).toThrow('must be a HubSpot user id');
  });

  it('refuses banner thresholds where danger comes before warning', () => {
    expect(() =>
      parsePortalSettings({ bannerThresholds: { warningFromDaysPastDue: 10, dangerFromDaysPastDue: 5 } }),
    ).toThrow('settings.bannerThresholds.dangerFromDaysPastDue');
  });
});
