import { hubspot } from '@hubspot/ui-extensions';
import { PaymentStatus, recordOf } from './PaymentStatus.js';

// The entry's only side effect: register the card for company and deal sidebars.
hubspot.extend<'crm.record.sidebar'>(({ context }) => (
  <PaymentStatus record={recordOf(context.crm)} portalId={context.portal.id} appId={context.extension?.appId} />
));
