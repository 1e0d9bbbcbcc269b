/**
 * Where in HubSpot an admin finds this app's settings page (Connected apps → Revenue Handoff → Settings).
 * The path is HubSpot's, not ours: it is not part of any documented API, so it lives in this one function.
 * @example settingsUrl(123, 456) // 'https://app.hubspot.com/integrations-settings/123/installed/framework/456/general-settings'
 */
export function settingsUrl(portalId: number, appId?: number | string): string {
  const base = `https://app.hubspot.com/integrations-settings/${portalId}/installed`;
  return appId === undefined ? base : `${base}/framework/${appId}/general-settings`;
}
