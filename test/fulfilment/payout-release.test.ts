// Payout release (PAYOUT_RELEASE): on_shipment holds each vendor's transfer until their part shipped in
// full, on_delivery until delivered plus PAYOUT_HOLD_DAYS; the release goes through the payouts queue and
// redelivered webhooks or queue messages never pay twice. on_payment (the test default) is today's flow.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { handleScheduled } from '../../src/ops/scheduled';
import { heldEmulator } from '../helpers/emulator';
import { admin, eventually, paidMultiVendorOrder, vendorClient } from '../helpers/fulfilment';
import { messagesFor, runBatch, stripeTransfers, transfersOf } from '../helpers/payout-fixtures';

const emu = heldEmulator();

type AdminTransfer = { storeId: string; status: string; heldFor: string | null; amount: number };

describe('payout release', () => {
  it('on_shipment: held until the part ships in full, then sent once', async () => {
    const { orderId, stores } = await paidMultiVendorOrder(
      emu,
      [[{ unitAmount: 2000, qty: 2 }], [{ unitAmount: 1000, qty: 1 }]],
      {
        onboarded: true,
        confirmWith: { ...env, PAYOUT_RELEASE: 'on_shipment' },
      },
    );
    const [a, b] = stores;
    let rows = await transfersOf(orderId);
    expect(rows.map((r) => r.status)).toEqual(['held', 'held']);
    expect(rows.every((r) => r.heldFor === 'shipment')).toBe(true);

    // The admin order JSON shows them held; the webhook (drained by the helper) changed nothing.
    const detail = await (await admin(`/admin/api/orders/${orderId}`)).json<{ transfers: AdminTransfer[] }>();
    expect(detail.transfers.map((t) => t.status)).toEqual(['held', 'held']);
    // The cron finds nothing due.
    await handleScheduled({} as ScheduledController, env);
    expect((await transfersOf(orderId)).map((r) => r.status)).toEqual(['held', 'held']);

    // A partial shipment keeps it held; the rest releases it.
    const vendorA = await vendorClient(a!.storeId);
    const productId = a!.products[0]!.id;
    await vendorA.post(`/vendor/orders/${orderId}/shipments`, {
      carrier: 'UPS',
      trackingNumber: '1',
      items: [{ productId, quantity: 1 }],
    });
    expect((await transfersOf(orderId)).find((r) => r.storeId === a!.storeId)!.status).toBe('held');
    await vendorA.post(`/vendor/orders/${orderId}/shipments`, { carrier: 'UPS', trackingNumber: '2' });

    const sentA = await eventually(async () => {
      const row = (await transfersOf(orderId)).find((r) => r.storeId === a!.storeId)!;
      return row.status === 'sent' ? row : null;
    });
    expect(sentA?.amount).toBe(3600);
    rows = await transfersOf(orderId);
    expect(rows.find((r) => r.storeId === b!.storeId)!.status).toBe('held');

    // Redelivered queue messages (for the sent row and for the held one) pay nothing more.
    await runBatch(env, messagesFor('transfer', rows));
    await runBatch(env, messagesFor('transfer', rows));
    const atStripe = await stripeTransfers(orderId);
    expect(atStripe).toHaveLength(1);
    expect(atStripe[0]!.amount).toBe(3600);
    expect((await transfersOf(orderId)).find((r) => r.storeId === b!.storeId)!.status).toBe('held');
  });

  it('on_delivery with a hold: released by the cron PAYOUT_HOLD_DAYS after delivery', async () => {
    const { orderId, stores } = await paidMultiVendorOrder(emu, [[{ unitAmount: 1500, qty: 1 }]], {
      onboarded: true,
      confirmWith: { ...env, PAYOUT_RELEASE: 'on_delivery', PAYOUT_HOLD_DAYS: '3' },
    });
    const storeId = stores[0]!.storeId;
    const [row] = await transfersOf(orderId);
    expect(row).toMatchObject({ status: 'held', heldFor: 'delivery', holdDays: 3 });

    const vendor = await vendorClient(storeId);
    await vendor.post(`/vendor/orders/${orderId}/shipments`, { carrier: 'UPS', trackingNumber: '1' });
    await vendor.post(`/vendor/orders/${orderId}/delivered`);
    await handleScheduled({} as ScheduledController, env);
    expect((await transfersOf(orderId))[0]!.status).toBe('held');

    await env.DB.prepare(
      'UPDATE order_parts SET delivered_at = delivered_at - 3 * 86400 - 1 WHERE order_id = ?',
    )
      .bind(orderId)
      .run();
    await Promise.all([
      handleScheduled({} as ScheduledController, env),
      handleScheduled({} as ScheduledController, env),
    ]);
    await eventually(async () => (await transfersOf(orderId))[0]!.status === 'sent');
    expect(await stripeTransfers(orderId)).toHaveLength(1);
  });

  it('on_payment (the default in tests): sent at once, as before', async () => {
    const { orderId } = await paidMultiVendorOrder(emu, [[{ unitAmount: 1500, qty: 1 }]], {
      onboarded: true,
    });
    await eventually(async () => (await transfersOf(orderId))[0]!.status === 'sent');
  });
});
