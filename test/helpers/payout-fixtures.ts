// Test helpers for payouts: onboarded vendor accounts in the emulator, paid orders whose transfer rows
// are written like the mark-paid batch does, a queue that only records, and the consumer driven
// through createMessageBatch / getQueueResult.
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { getDb, schema } from '../../src/db/client';
import { newId } from '../../src/lib/ids';
import { handlePayoutBatch, type PayoutMessage } from '../../src/payouts/consumer';
import { transferInserts } from '../../src/payouts/outbox';
import { getStripe } from '../../src/stripe/client';
import type { EmulatorControl } from '../../emulator/control-client';
import { seedOrder } from './checkout-fixtures';
import { recordingQueue, runQueueBatch } from './queues';

const FEE_BPS = 1000;

/** First deliveries of queue messages for these rows (transfers or reversals). */
export function messagesFor(kind: PayoutMessage['kind'], rows: readonly { id: string }[]) {
  return rows.map((r) => ({ body: { kind, id: r.id } }));
}

/** The test env with a recording PAYOUTS queue: nothing reaches the real consumer behind the test's back. */
export function envWithQueue(): { env: Env; sent: PayoutMessage[] } {
  const { queue, sent } = recordingQueue<PayoutMessage>();
  return { env: { ...env, PAYOUTS: queue }, sent };
}

/** Runs the payouts consumer on one batch, as Queues would deliver it; returns the ack/retry result. */
export async function runBatch(
  e: Env,
  messages: { body: PayoutMessage; attempts?: number }[],
  queueName = 'payouts',
) {
  return runQueueBatch<PayoutMessage>(
    (batch) => handlePayoutBatch(batch, e),
    queueName,
    messages.map((m, i) => ({ id: `msg-${i}-${m.body.id}`, attempts: m.attempts, body: m.body })),
  );
}

/** A connected account in the emulator, onboarding completed (it can receive transfers). */
export async function onboardedAccount(emu: EmulatorControl, name = 'Vendor'): Promise<string> {
  const account = await getStripe(env).accounts.create({
    type: 'express',
    email: `${newId('v')}@example.com`,
    business_profile: { name },
    capabilities: { transfers: { requested: true } },
  });
  await emu.completeOnboarding(account.id, { business_name: name });
  return account.id;
}

/** A store row tied to `accountId`, able to sell. */
export async function storeFor(accountId: string | null, name = `Vendor ${newId('n').slice(-5)}`) {
  const id = newId('st');
  await env.DB.prepare(
    `INSERT INTO stores (id, slug, name, email, stripe_account_id, charges_enabled, payouts_enabled, details_submitted)
     VALUES (?, ?, ?, ?, ?, 1, 1, 1)`,
  )
    .bind(id, id.replace('_', '-'), name, `${id}@example.com`, accountId)
    .run();
  return { id, name, accountId };
}

/** Onboarded vendors: account + store each. */
export async function vendors(emu: EmulatorControl, count: number) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const name = `Vendor ${i + 1} ${newId('n').slice(-4)}`;
    out.push(await storeFor(await onboardedAccount(emu, name), name));
  }
  return out;
}

/** A card payment of `amount` at the emulator (its events delivered now, before any order names it). */
export async function paidCharge(emu: EmulatorControl, amount: number) {
  const intent = await getStripe(env).paymentIntents.create({
    amount,
    currency: 'usd',
    payment_method: 'pm_card_visa',
    confirm: true,
  });
  await emu.drain();
  const charge = typeof intent.latest_charge === 'string' ? intent.latest_charge : intent.latest_charge!.id;
  return { paymentIntentId: intent.id, chargeId: charge };
}

/**
 * A paid order with one line per vendor (amounts given) plus shipping, charged at the emulator, and
 * its transfer rows written as the mark-paid batch writes them. Returns the order and its transfers.
 */
export async function paidOrder(
  emu: EmulatorControl,
  lines: { storeId: string; storeName?: string; amount: number }[],
  opts: { shipping?: number; withCharge?: boolean } = {},
) {
  const shipping = opts.shipping ?? 500;
  const total = lines.reduce((s, l) => s + l.amount, 0) + shipping;
  const charge = opts.withCharge === false ? null : await paidCharge(emu, total);
  const { orderId } = await seedOrder({
    status: 'paid',
    shippingAmount: shipping,
    amountReceived: total,
    paymentIntentId: charge?.paymentIntentId ?? null,
    chargeId: charge?.chargeId ?? null,
    lines: lines.map((l) => ({ storeId: l.storeId, storeName: l.storeName, unitAmount: l.amount, qty: 1 })),
  });
  const db = getDb(env);
  const inserts = transferInserts(db, { id: orderId, currency: 'usd' }, lines, FEE_BPS);
  await db.batch(inserts as [(typeof inserts)[number], ...typeof inserts]);
  return { orderId, total, charge, transfers: await transfersOf(orderId) };
}

/** The order's transfer rows, by store. */
export async function transfersOf(orderId: string) {
  const rows = await getDb(env).select().from(schema.transfers).where(eq(schema.transfers.orderId, orderId));
  return rows.sort((a, b) => a.storeId.localeCompare(b.storeId));
}

/** One transfer row. */
export async function transferRow(id: string) {
  return getDb(env).query.transfers.findFirst({ where: eq(schema.transfers.id, id) });
}

/** The reversal rows of a transfer. */
export async function reversalsOf(transferId: string) {
  return getDb(env)
    .select()
    .from(schema.transferReversals)
    .where(eq(schema.transferReversals.transferId, transferId));
}

/** The transfers Stripe (the emulator) holds for an order. */
export async function stripeTransfers(orderId: string) {
  const list = await getStripe(env).transfers.list({ transfer_group: orderId, limit: 100 });
  return list.data;
}
