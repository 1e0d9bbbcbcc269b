import { hubspot } from '@hubspot/ui-extensions';
import { HandoffChecklist } from './HandoffChecklist.js';

// The entry's only side effect: register the card for the deal record tab.
hubspot.extend<'crm.record.tab'>(({ context }) => <HandoffChecklist dealId={String(context.crm.objectId)} />);
