// customer.* events and checkout events keep one customers row per Stripe Customer: delivered in any
// order, twice, before or after the order's own events, they converge on Stripe's newest state.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { newId } from '../../src/lib/ids';
import { getStripe } from '../../src/stripe/client';
import { seedCatalog } from '../helpers/checkout-fixtures';
import { shopper } from '../helpers/checkout-flow';
import { heldEmulator } from '../helpers/emulator';

const emu = heldEmulator();

const uniqueEmail = (tag: string) => `${tag}.${newId('x').slice(2, 12)}@example.com`;

async function row(id: string) {
  return env.DB.prepare('SELECT * FROM customers WHERE id = ?').bind(id).first<{
    email: string;
    name: string | null;
    phone: string | null;
    address: string | null;
    shipping: string | null;
    deleted_at: number | null;
  }>();
}

/** Ids of the events the emulator holds for delivery, oldest first, optionally of some types. */
async function pendingEvents(types?: string[]) {
  const { pending } = await emu.deliveries();
  return pending.filter((p) => !types || types.includes(p.type)).map((p) => p.event_id);
}

async function deliverAll(ids: string[]) {
  const results = await emu.deliver(ids);
  expect(results.every((r) => r.status === 200)).toBe(true);
}

describe('customer events in any order converge on one row', () => {
  it('created and two updates, delivered newest first and then again, leave the newest state', async () => {
    await emu.drain();
    const stripe = getStripe(env);
    const email = uniqueEmail('events');
    const customer = await stripe.customers.create({ email, name: 'First Name' });
    await emu.advanceClock(5);
    await stripe.customers.update(customer.id, { name: 'Second Name', phone: '+44 20 7946 0000' });
    await emu.advanceClock(5);
    await stripe.customers.update(customer.id, {
      name: 'Final Name',
      address: { line1: '1 Quay St', city: 'Leith', postal_code: 'EH6', country: 'GB' },
    });
    const ids = await pendingEvents(['customer.created', 'customer.updated']);
    expect(ids).toHaveLength(3);

    await deliverAll([...ids].reverse());
    await deliverAll(ids); // every one of them again, oldest first this time
    const r = await row(customer.id);
    expect(r).toMatchObject({ email, name: 'Final Name', phone: '+44 20 7946 0000' });
    expect(JSON.parse(r!.address!)).toMatchObject({ line1: '1 Quay St', country: 'GB' });
    const count = await env.DB.prepare('SELECT count(*) AS n FROM customers WHERE email_normalized = ?')
      .bind(email)
      .first<{ n: number }>();
    expect(count?.n).toBe(1);
  });

  it('an order’s events first and the customer’s creation last: the checkout address stays', async () => {
    await emu.drain();
    const email = uniqueEmail('late');
    const { products } = await seedCatalog([{ unitAmount: 1100 }]);
    const buyer = await shopper();
    await buyer.add(products[0]!);
    const started = await (await buyer.checkout({ email })).json<{ orderId: string; sessionId: string }>();
    await emu.pay(started.sessionId, {
      name: 'Mary Somerville',
      shipping: {
        name: 'Mary Somerville',
        address: { line1: '3 Burntisland Rd', city: 'Jedburgh', postal_code: 'TD8', country: 'GB' },
      },
    });
    // Everything the purchase emitted, delivered newest first (customer.created arrives last).
    const first = await pendingEvents();
    expect(first.length).toBeGreaterThan(2);
    await deliverAll([...first].reverse());
    // The checkout's update of the Customer emitted its own customer.updated: deliver it, then all again.
    await deliverAll(await pendingEvents());
    await deliverAll(first);

    const order = await env.DB.prepare('SELECT customer_id FROM orders WHERE id = ?')
      .bind(started.orderId)
      .first<{ customer_id: string }>();
    const r = await row(order!.customer_id);
    expect(r).toMatchObject({ email, name: 'Mary Somerville' });
    expect(JSON.parse(r!.shipping!)).toMatchObject({ address: { city: 'Jedburgh' } });
  });

  it('a deleted customer stays deleted when its creation arrives late; checkout then makes a new one', async () => {
    await emu.drain();
    const stripe = getStripe(env);
    const email = uniqueEmail('gone');
    const customer = await stripe.customers.create({ email });
    await emu.advanceClock(5);
    await stripe.customers.del(customer.id);
    const ids = await pendingEvents(['customer.created', 'customer.deleted']);
    await deliverAll([...ids].reverse());
    expect((await row(customer.id))?.deleted_at).not.toBeNull();

    const { products } = await seedCatalog([{ unitAmount: 1100 }]);
    const buyer = await shopper();
    await buyer.add(products[0]!);
    const res = await buyer.checkout({ email });
    expect(res.status).toBe(200);
    const { sessionId } = await res.json<{ sessionId: string }>();
    const session = await stripe.checkout.sessions.retrieve(sessionId);
    expect(session.customer).toMatch(/^cus_/);
    expect(session.customer).not.toBe(customer.id);
  });
});
