// The outbox: one row per idempotency key, handed to NOTIFY once, re-handed by the cron when lost.
import { createScheduledController } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../src/db/client';
import { newId } from '../../src/lib/ids';
import { dispatchMessages, enqueueMessage } from '../../src/notifications/outbox';
import {
  queueContactMessage,
  queueOrderReceipt,
  queueVendorNewOrders,
} from '../../src/notifications/senders';
import { handleScheduled } from '../../src/ops/scheduled';
import { envWithQueue } from '../helpers/payout-fixtures';
import { commit, envWithNotify, rowByKey, rowsByKey } from '../helpers/notify-fixtures';

const db = () => getDb(env);

describe('enqueueMessage', () => {
  it('queues one message per key: the same cause three times writes one row', async () => {
    const orderId = newId('ord');
    for (let i = 0; i < 3; i++) await commit(queueOrderReceipt(db(), { orderId }));
    // Also three times inside one batch (a handler that runs twice in a replayed event).
    await commit(...queueVendorNewOrders(db(), { orderId, storeIds: ['st_a', 'st_b', 'st_a'] }));
    await commit(...queueVendorNewOrders(db(), { orderId, storeIds: ['st_a'] }));
    expect(await rowsByKey(`order-receipt:${orderId}`)).toHaveLength(1);
    expect(await rowsByKey(`vendor-new-order:${orderId}:st_a`)).toHaveLength(1);
    expect(await rowsByKey(`vendor-new-order:${orderId}:st_b`)).toHaveLength(1);
    const row = await rowByKey(`order-receipt:${orderId}`);
    expect(row).toMatchObject({
      kind: 'order_receipt',
      status: 'queued',
      recipient: null,
      enqueued_at: null,
    });
    expect(JSON.parse(row.data!)).toEqual({ orderId });
  });

  it('refuses a recipient that is not one plain address, and data its kind does not take', () => {
    for (const to of [
      'not an address',
      'a@example.com\r\nBcc: b@example.com',
      'A <a@example.com>',
      `${'x'.repeat(250)}@example.com`,
    ])
      expect(() =>
        queueContactMessage(db(), {
          contactId: 'c1',
          to,
          storeName: 's',
          fromName: 'n',
          fromEmail: 'e@example.com',
          message: 'm',
        }),
      ).toThrow(/e-mail address/);
    expect(() =>
      enqueueMessage(db(), {
        kind: 'vendor_sign_in',
        key: 'k',
        to: 'v@example.com',
        data: { storeName: 's', path: 'no-slash', minutes: 20 },
      }),
    ).toThrow(/Bad data/);
    expect(() =>
      queueContactMessage(db(), {
        contactId: 'c2',
        to: 'a@example.com',
        storeName: 's',
        fromName: 'n',
        fromEmail: 'bad\r\n@x',
        message: 'm',
      }),
    ).toThrow(/Bad data/);
  });
});

describe('hand-off to NOTIFY', () => {
  it('hands each queued row over once, even with two callers', async () => {
    const contactId = newId('msg');
    await commit(
      queueContactMessage(db(), {
        contactId,
        to: 'shop@example.com',
        storeName: 'S',
        fromName: 'N',
        fromEmail: 'n@example.com',
        message: 'hi',
      }),
    );
    const row = await rowByKey(`contact:${contactId}`);
    const { env: e, sent } = envWithNotify();
    await Promise.all([dispatchMessages(e), dispatchMessages(e)]);
    expect(sent.filter((m) => m.id === row.id)).toHaveLength(1);
    expect((await rowByKey(`contact:${contactId}`)).enqueued_at).not.toBeNull();
    await dispatchMessages(e);
    expect(sent.filter((m) => m.id === row.id)).toHaveLength(1);
  });

  it('a hand-off that fails is left to the cron, which re-sends rows left queued', async () => {
    const contactId = newId('msg');
    await commit(
      queueContactMessage(db(), {
        contactId,
        to: 'shop@example.com',
        storeName: 'S',
        fromName: 'N',
        fromEmail: 'n@example.com',
        message: 'hi',
      }),
    );
    const broken = {
      send: async () => Promise.reject(new Error('queue down')),
      sendBatch: async () => Promise.reject(new Error('queue down')),
    };
    expect(await dispatchMessages({ ...env, NOTIFY: broken as unknown as Queue })).toBe(0);
    const row = await rowByKey(`contact:${contactId}`);
    expect(row).toMatchObject({ status: 'queued', enqueued_at: null });

    const payouts = envWithQueue().env;
    const { env: e, sent } = envWithNotify({ PAYOUTS: payouts.PAYOUTS });
    await handleScheduled(createScheduledController(), e);
    expect(sent.filter((m) => m.id === row.id)).toHaveLength(1);
    // Handed over just now: the next run leaves it alone. Still queued five minutes later: handed over again.
    await handleScheduled(createScheduledController(), e);
    expect(sent.filter((m) => m.id === row.id)).toHaveLength(1);
    await env.DB.prepare('UPDATE outbox SET enqueued_at = unixepoch() - 600 WHERE id = ?').bind(row.id).run();
    await handleScheduled(createScheduledController(), e);
    expect(sent.filter((m) => m.id === row.id)).toHaveLength(2);
  });
});
