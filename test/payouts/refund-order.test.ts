// Several refunds on one order: vendors give back exactly their share of the refunded total, whatever
// the order in which the refunds are recorded, however often `charge.refunded` and the queue messages
// are delivered, and whether the transfers left before or after. Refunds go through the admin API,
// events come from the emulator (crafted to list the refunds in a chosen order), payouts through the
// real consumer.
import { SELF } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { allocate, apportion } from '../../src/lib/money';
import { planReversals } from '../../src/payouts/plan';
import { getStripe } from '../../src/stripe/client';
import { adminApi, adminCookie, adminPage } from '../helpers/admin-fixtures';
import { orderRow } from '../helpers/checkout-fixtures';
import { heldEmulator } from '../helpers/emulator';
import { browse, vendorCookie } from '../helpers/vendor-fixtures';
import {
  envWithQueue,
  messagesFor,
  paidOrder,
  reversalsOf,
  runBatch,
  stripeTransfers,
  transfersOf,
  vendors,
} from '../helpers/payout-fixtures';

const emu = heldEmulator();
let pool: Awaited<ReturnType<typeof vendors>> = [];
beforeAll(async () => {
  pool = await vendors(emu, 4);
}, 60_000);

type Order = Awaited<ReturnType<typeof paidOrder>>;
interface Refund {
  id: string;
  amount: number;
}

/**
 * The spec, written out on its own: vendors give back the part of the refunded total that they got of
 * what was collected (largest remainder), split between them by what each was paid (house monotone,
 * so that no order of partial refunds can take a cent too many from one vendor).
 */
function expectedTakenBack(collected: number, transfers: readonly number[], refunded: number): number[] {
  const vendorsTotal = transfers.reduce((a, b) => a + b, 0);
  const share =
    refunded >= collected ? vendorsTotal : allocate(refunded, [vendorsTotal, collected - vendorsTotal])[0]!;
  return apportion(share, transfers);
}

/** A refund asked for through the admin API, as an operator does (one request id each). */
async function refundViaAdmin(orderId: string, amount: number): Promise<Refund> {
  const res = await adminApi(`/admin/api/orders/${orderId}/refunds`, {
    body: { amount, request_id: `rq_${crypto.randomUUID().slice(0, 8)}` },
  });
  expect(res.status).toBe(201);
  const body = await res.json<{ refund: { id: string; amount: number } }>();
  return { id: body.refund.id, amount: body.refund.amount };
}

/**
 * A `charge.refunded` for the order's charge that lists exactly `refunds`, in this order (Stripe lists
 * what it holds when the event is built; a crafted list lets the test choose the recording order).
 * Held by the emulator until delivered; returns the event id.
 */
async function chargeRefundedEvent(chargeId: string, refunds: readonly Refund[]): Promise<string> {
  const charge = await getStripe(env).charges.retrieve(chargeId);
  const amountRefunded = refunds.reduce((s, r) => s + r.amount, 0);
  const object = {
    ...charge,
    amount_refunded: amountRefunded,
    refunded: amountRefunded >= charge.amount,
    refunds: {
      object: 'list',
      has_more: false,
      url: `/v1/charges/${chargeId}/refunds`,
      data: refunds.map((r) => ({
        id: r.id,
        object: 'refund',
        amount: r.amount,
        charge: chargeId,
        currency: 'usd',
        status: 'succeeded',
        reason: null,
      })),
    },
  };
  const { events } = await emu.trigger({ type: 'charge.refunded', object });
  return events[0]!.id;
}

/** Delivers one event once, twice in a row, or twice at the same time; every delivery must succeed. */
async function deliver(eventId: string, how: 'once' | 'twice' | 'concurrent') {
  const results =
    how === 'concurrent'
      ? await emu.duplicate(eventId)
      : how === 'twice'
        ? [...(await emu.deliver([eventId])), await emu.resend(eventId)]
        : await emu.deliver([eventId]);
  for (const r of results) expect(r.ok, `${r.type} answered ${r.status}`).toBe(true);
}

/** Sends these transfers through the consumer (and lets Stripe's transfer events arrive). */
async function sendTransfers(ids: readonly string[], redeliver = false) {
  const { env: e } = envWithQueue();
  const messages = messagesFor(
    'transfer',
    ids.map((id) => ({ id })),
  );
  await runBatch(e, redeliver ? [...messages, ...messages] : messages);
}

/** Every reversal row of the order through the consumer, each delivered `times` times. */
async function sendReversals(order: Order, times = 1) {
  const rows = (await Promise.all(order.transfers.map((t) => reversalsOf(t.id)))).flat();
  const { env: e } = envWithQueue();
  const messages = messagesFor('reversal', rows);
  for (let i = 0; i < times; i++) await runBatch(e, messages);
}

/** Delivers what is left: events, transfers, reversals, until nothing is pending. */
async function settle(order: Order) {
  await emu.drain();
  await sendTransfers(order.transfers.map((t) => t.id));
  await emu.drain();
  for (let round = 0; round < 5; round++) {
    const rows = (await Promise.all(order.transfers.map((t) => reversalsOf(t.id)))).flat();
    if (rows.every((r) => r.status === 'sent' || r.status === 'applied')) return;
    await sendReversals(order);
    await emu.drain();
  }
  throw new Error('reversals did not settle');
}

/** What each vendor keeps, in D1 and at Stripe, in the order of `order.transfers`. */
async function kept(order: Order) {
  const rows = await transfersOf(order.orderId);
  const atStripe = await stripeTransfers(order.orderId);
  return order.transfers.map((t) => {
    const row = rows.find((r) => r.id === t.id)!;
    const st = atStripe.find((s) => s.metadata?.transfer_id === t.id);
    return {
      row,
      d1: row.status === 'canceled' ? 0 : row.amount - row.amountReversed,
      stripe: st ? st.amount - st.amount_reversed : 0,
    };
  });
}

async function expectVendorsKeep(order: Order, refunded: number) {
  const initial = order.transfers.map((t) => t.initialAmount);
  // The ledger splits over the transfers in id order: a unit that ranks equal for two transfers (odd
  // amounts refunded by half tie exactly) goes to the first by id, whatever order the test holds them in.
  const byId = order.transfers.map((t, i) => ({ id: t.id, i })).sort((a, b) => (a.id < b.id ? -1 : 1));
  const split = expectedTakenBack(
    order.total,
    byId.map((t) => initial[t.i]!),
    refunded,
  );
  const back = initial.map((_, i) => split[byId.findIndex((t) => t.i === i)]!);
  const now = await kept(order);
  expect(now.map((k) => k.stripe)).toEqual(initial.map((a, i) => a - back[i]!));
  expect(now.map((k) => k.d1)).toEqual(initial.map((a, i) => a - back[i]!));
  return { back, now };
}

describe('several refunds on one order', () => {
  it('the issue example: transfers 1980/2520, refunds 3000 then 500 take back 2864 in all', async () => {
    const [a, b] = pool;
    const order = await paidOrder(emu, [
      { storeId: a!.id, amount: 2200 },
      { storeId: b!.id, amount: 2800 },
    ]);
    expect(order.transfers.map((t) => t.amount).sort()).toEqual([1980, 2520]);
    expect(order.total).toBe(5500);
    await sendTransfers(order.transfers.map((t) => t.id));
    await emu.drain();

    const first = await refundViaAdmin(order.orderId, 3000);
    const second = await refundViaAdmin(order.orderId, 500);
    // Recorded in both orders, the later one first included, and each event twice.
    await deliver(await chargeRefundedEvent(order.charge!.chargeId, [second, first]), 'twice');
    await deliver(await chargeRefundedEvent(order.charge!.chargeId, [first]), 'concurrent');
    await settle(order);

    // Vendors got 4500 of the 5500 collected: of 3500 refunded, they give back 3500 × 4500 / 5500.
    const { back } = await expectVendorsKeep(order, 3500);
    expect(back.reduce((s, n) => s + n, 0)).toBe(2864);
    expect((await orderRow(order.orderId))?.status).toBe('partially_refunded');
  });

  it('a four-vendor order refunded in full over several refunds takes back every transfer entirely', async () => {
    const order = await paidOrder(emu, [
      { storeId: pool[0]!.id, amount: 24_000 },
      { storeId: pool[1]!.id, amount: 9_000 },
      { storeId: pool[2]!.id, amount: 6_500 },
      { storeId: pool[3]!.id, amount: 5_200 },
    ]);
    expect(order.total).toBe(45_200);
    await sendTransfers(order.transfers.map((t) => t.id));
    await emu.drain();

    const refunds: Refund[] = [];
    for (const amount of [10_000, 700, 20_000, 14_500])
      refunds.push(await refundViaAdmin(order.orderId, amount));
    // Stripe's own events (each lists every refund so far), the newest first.
    const pending = await emu.deliveries();
    const ids = pending.pending.map((p) => p.event_id).reverse();
    await emu.deliver(ids);
    await settle(order);

    const { now } = await expectVendorsKeep(order, 45_200);
    expect(now.map((k) => k.stripe)).toEqual([0, 0, 0, 0]);
    expect(now.map((k) => k.row.status)).toEqual(['reversed', 'reversed', 'reversed', 'reversed']);
    expect((await orderRow(order.orderId))?.status).toBe('refunded');
  });

  it('records the same refunds in every order and interleaving with redeliveries: the same reversals to the cent', async () => {
    const scenario = fc
      .record({
        amounts: fc.array(fc.integer({ min: 300, max: 20_000 }), { minLength: 2, maxLength: 4 }),
        shipping: fc.integer({ min: 0, max: 1_500 }),
        cuts: fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 2, maxLength: 4 }),
        full: fc.boolean(),
        part: fc.integer({ min: 5, max: 95 }),
        sentBefore: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
      })
      .chain((s) =>
        fc.record({
          s: fc.constant(s),
          // Each step records some of the refunds in some order, delivered once, twice or concurrently,
          // then maybe runs the queue (a reversal message delivered once or twice) or sends a transfer.
          steps: fc.array(
            fc.record({
              refunds: fc.shuffledSubarray([0, 1, 2, 3].slice(0, s.cuts.length), { minLength: 1 }),
              how: fc.constantFrom('once' as const, 'twice' as const, 'concurrent' as const),
              queue: fc.constantFrom('none' as const, 'reversals' as const, 'reversals twice' as const),
              sendTransfer: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
            }),
            { minLength: 1, maxLength: 4 },
          ),
          last: fc.shuffledSubarray([0, 1, 2, 3].slice(0, s.cuts.length), { minLength: s.cuts.length }),
        }),
      );

    await fc.assert(
      fc.asyncProperty(scenario, async ({ s, steps, last }) => {
        const lines = s.amounts.map((amount, i) => ({ storeId: pool[i]!.id, amount }));
        const order = await paidOrder(emu, lines, { shipping: s.shipping });
        const chargeId = order.charge!.chargeId;
        const early = order.transfers.filter((_, i) => s.sentBefore[i]).map((t) => t.id);
        if (early.length) await sendTransfers(early, true);
        await emu.drain();

        const toRefund = s.full ? order.total : Math.floor((order.total * s.part) / 100);
        const amounts = allocate(toRefund, s.cuts).filter((n) => n > 0);
        const refunds: Refund[] = [];
        for (const amount of amounts) refunds.push(await refundViaAdmin(order.orderId, amount));
        const refunded = refunds.reduce((sum, r) => sum + r.amount, 0);

        for (const step of steps) {
          const listed = step.refunds.filter((i) => i < refunds.length).map((i) => refunds[i]!);
          if (listed.length) await deliver(await chargeRefundedEvent(chargeId, listed), step.how);
          if (step.queue !== 'none') await sendReversals(order, step.queue === 'reversals twice' ? 2 : 1);
          const t = step.sendTransfer === undefined ? undefined : order.transfers[step.sendTransfer];
          if (t) await sendTransfers([t.id], true);
        }
        const all = last.filter((i) => i < refunds.length).map((i) => refunds[i]!);
        await deliver(await chargeRefundedEvent(chargeId, all), 'twice');
        await settle(order);

        await expectVendorsKeep(order, refunded);
        // Never more than one reversal row per transfer for the same refunded total.
        for (const t of order.transfers) {
          const keys = (await reversalsOf(t.id)).map((r) => r.refundId);
          expect(new Set(keys).size).toBe(keys.length);
        }
      }),
      { numRuns: 10, endOnFailure: true },
    );
  }, 240_000);
});

describe('a transfer taken back says so', () => {
  it('partly or fully reversed shows in the admin JSON, the admin page and the vendor dashboard', async () => {
    const [a, b] = pool;
    const order = await paidOrder(emu, [
      { storeId: a!.id, amount: 3000 },
      { storeId: b!.id, amount: 1000 },
    ]);
    await sendTransfers(order.transfers.map((t) => t.id));
    await emu.drain();
    const [ta, tb] = [
      order.transfers.find((t) => t.storeId === a!.id)!,
      order.transfers.find((t) => t.storeId === b!.id)!,
    ];

    await refundViaAdmin(order.orderId, 2250); // half of 4500
    await emu.drain();
    await settle(order);
    const detail = async () =>
      (await adminApi(`/admin/api/orders/${order.orderId}`)).json<{
        transfers: { id: string; status: string; amountReversed: number }[];
      }>();
    expect((await detail()).transfers.map((t) => t.status)).toEqual([
      'partially_reversed',
      'partially_reversed',
    ]);

    await refundViaAdmin(order.orderId, 2250); // the rest
    await emu.drain();
    await settle(order);
    const transfers = (await detail()).transfers;
    expect(transfers.map((t) => t.status)).toEqual(['reversed', 'reversed']);
    expect(transfers.find((t) => t.id === ta.id)?.amountReversed).toBe(ta.amount);

    // The admin's transfer list filters by it, in JSON and on the page.
    const listed = await (
      await adminApi('/admin/api/transfers?status=reversed&limit=100')
    ).json<{ transfers: { id: string; status: string }[] }>();
    expect(listed.transfers.map((t) => t.id)).toEqual(expect.arrayContaining([ta.id, tb.id]));
    const page = await adminPage('/admin/transfers?status=reversed', await adminCookie());
    expect(await page.text()).toContain(`data-transfer-id="${ta.id}" data-status="reversed"`);

    // The vendor sees the same, in words.
    const dash = await browse('/vendor', await vendorCookie(a!.id));
    const html = await dash.text();
    expect(html).toContain(`data-transfer-id="${ta.id}" data-status="reversed"`);
    expect(html).toContain('Taken back in full (refunded)');
    const json = await (
      await SELF.fetch('http://localhost/vendor', {
        headers: { accept: 'application/json', cookie: await vendorCookie(a!.id) },
      })
    ).json<{ transfers: { id: string; status: string }[] }>();
    expect(json.transfers.find((t) => t.id === ta.id)?.status).toBe('reversed');
  });
});

describe('planReversals is a function of the set of refunds', () => {
  it('any order of the same refunds, recorded in any batches and repeated, plans the same totals', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 50_000 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: 5_000 }),
        fc.array(fc.integer({ min: 1, max: 5_000 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 12 }),
        (transferAmounts, extra, refundAmounts, order) => {
          const transfers = transferAmounts.map((a, i) => ({ id: `t${i}`, initialAmount: a }));
          const vendorsTotal = transferAmounts.reduce((a, b) => a + b, 0);
          // The fee and shipping are what the platform kept: collected ≥ what the vendors were paid.
          const collected = vendorsTotal + Math.round(vendorsTotal / 9) + extra;
          const refunds: { refundId: string; amount: number }[] = [];
          let left = collected;
          for (const [i, a] of refundAmounts.entries()) {
            const amount = Math.min(a, left);
            if (amount > 0) refunds.push({ refundId: `re_${i}`, amount });
            left -= amount;
          }
          // Record them in the order given by `order` (indexes, repeats allowed), planning after each.
          const recorded: { transferId: string; refundId: string; amount: number }[] = [];
          const seen: typeof refunds = [];
          for (const pick of [...order, ...refunds.keys()]) {
            const refund = refunds[pick % refunds.length]!;
            if (!seen.includes(refund)) seen.push(refund);
            recorded.push(...planReversals({ collected, transfers, refunds: [...seen, refund], recorded }));
          }
          const refunded = refunds.reduce((s, r) => s + r.amount, 0);
          const want = expectedTakenBack(collected, transferAmounts, refunded);
          const got = transfers.map((t) =>
            recorded.filter((r) => r.transferId === t.id).reduce((s, r) => s + r.amount, 0),
          );
          expect(got).toEqual(want);
          if (refunded >= collected) expect(got).toEqual(transferAmounts);
        },
      ),
      { numRuns: 500 },
    );
  });
});
