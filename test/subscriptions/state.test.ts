// The subscription row's state rule on its own: final statuses stay, an older event never wins, the
// same event applied twice changes nothing the second time.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import { getDb } from '../../src/db/client';
import { newId } from '../../src/lib/ids';
import { applySubscriptionState } from '../../src/subscriptions/billing';
import { canMoveSubscription } from '../../src/subscriptions/records';

async function row(status: string, lastEventAt: number) {
  const id = `sub_${newId('x').slice(2)}`;
  await env.DB.prepare(
    `INSERT INTO subscriptions (id, customer_id, status, last_event_at) VALUES (?, 'cus_state', ?, ?)`,
  )
    .bind(id, status, lastEventAt)
    .run();
  return id;
}

const sub = (id: string, status: Stripe.Subscription.Status, end = 2000): Stripe.Subscription =>
  ({
    id,
    status,
    customer: 'cus_state',
    cancel_at_period_end: false,
    canceled_at: status === 'canceled' ? 1500 : null,
    items: { data: [{ current_period_start: 1000, current_period_end: end }] },
  }) as unknown as Stripe.Subscription;

const statusOf = async (id: string) =>
  (await env.DB.prepare('SELECT status, current_period_end AS e FROM subscriptions WHERE id = ?')
    .bind(id)
    .first<{ status: string; e: number | null }>())!;

describe('subscription state rule', () => {
  it('final statuses are never left; other moves are allowed', () => {
    expect(canMoveSubscription('canceled', 'active')).toBe(false);
    expect(canMoveSubscription('incomplete_expired', 'active')).toBe(false);
    expect(canMoveSubscription('canceled', 'canceled')).toBe(true);
    for (const [from, to] of [
      ['incomplete', 'active'],
      ['active', 'past_due'],
      ['past_due', 'active'],
      ['past_due', 'canceled'],
      ['trialing', 'active'],
    ] as const)
      expect(canMoveSubscription(from, to)).toBe(true);
  });

  it('an older event does not overwrite a newer one; a repeat changes nothing; canceled stays', async () => {
    const db = getDb(env);
    const id = await row('active', 100);
    expect(await applySubscriptionState(db, sub(id, 'past_due'), 50)).toBe(false);
    expect((await statusOf(id)).status).toBe('active');
    expect(await applySubscriptionState(db, sub(id, 'past_due', 3000), 150)).toBe(true);
    expect(await statusOf(id)).toEqual({ status: 'past_due', e: 3000 });
    expect(await applySubscriptionState(db, sub(id, 'canceled'), 200)).toBe(true);
    expect(await applySubscriptionState(db, sub(id, 'active'), 300)).toBe(false);
    expect((await statusOf(id)).status).toBe('canceled');
    expect(await applySubscriptionState(db, sub('sub_unknown', 'active'), 300)).toBe(false);
  });
});
