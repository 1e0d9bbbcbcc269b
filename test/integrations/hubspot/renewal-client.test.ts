import { describe, expect, it } from '@jest/globals';
import { REVENUE_HANDOFF_PROPERTIES } from '../../../src/integrations/hubspot/properties.js';
import { hubspotTestbed } from './testbed.js';

const bed = hubspotTestbed();

describe('HubSpot CRM client: what the renewal sweep needs', () => {
  it('creates a deal in a pipeline and stage, associated with the company', async () => {
    const hubspot = bed.fresh();
    const company = hubspot.addCompany({ name: 'Acme' });
    const crm = bed.crm(hubspot);
    await crm.ensurePropertyGroupAndProperties(REVENUE_HANDOFF_PROPERTIES);
    const { id } = await crm.createDeal({
      properties: {
        dealname: 'Acme — renewal 2027-03-01',
        pipeline: 'default',
        dealstage: 'appointmentscheduled',
        closedate: '2027-03-01T05:00:00.000Z',
        rh_renewal_of: '1001:2027-03-01',
      },
      associations: { companies: [company] },
    });
    expect(hubspot.get('deals', id)?.properties).toMatchObject({
      dealname: 'Acme — renewal 2027-03-01',
      dealstage: 'appointmentscheduled',
      rh_renewal_of: '1001:2027-03-01',
    });
    expect(hubspot.associated('deals', id, 'companies')).toEqual([company]);
  });

  it('finds a renewal deal by rh_renewal_of, and a task by subject and deal, and nothing else', async () => {
    const hubspot = bed.fresh();
    const crm = bed.crm(hubspot);
    await crm.ensurePropertyGroupAndProperties(REVENUE_HANDOFF_PROPERTIES);
    const deal = hubspot.addDeal({ dealname: 'Acme', rh_renewal_of: '1001:2027-03-01' });
    hubspot.addDeal({ dealname: 'Other', rh_renewal_of: '1002:2027-03-01' });
    const other = hubspot.addDeal({ dealname: 'Another deal' });
    const subject = 'Renewal handoff: Acme renews on 2027-03-01';
    const { id: task } = await crm.createTask({
      subject,
      body: 'b',
      dueAt: new Date(),
      associations: { deals: [deal] },
    });
    await crm.createTask({ subject, body: 'b', dueAt: new Date(), associations: { deals: [other] } });

    const deals = await crm.searchObjects('deals', { rh_renewal_of: '1001:2027-03-01' }, ['dealname']);
    expect(deals.map((d) => [d.id, d.properties.dealname])).toEqual([[deal, 'Acme']]);
    const tasks = await crm.searchObjects('tasks', { hs_task_subject: subject, 'associations.deal': deal }, [
      'hs_task_subject',
    ]);
    expect(tasks.map((t) => t.id)).toEqual([task]);
    expect(await crm.searchObjects('deals', { rh_renewal_of: '9:2027-03-01' }, [])).toEqual([]);
  });
});
