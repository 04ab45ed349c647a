// What a log line may say about an error: its class and code, never the message (which carries data).
import { DrizzleQueryError } from 'drizzle-orm/errors';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { errorFields } from '../../src/lib/log';

describe('errorFields', () => {
  it("names drizzle's query error and its D1 cause without the query's parameters", () => {
    const cause = new Error('D1_ERROR: UNIQUE constraint failed: customers.email');
    const err = new DrizzleQueryError('insert into customers values (?)', ['shopper@example.com'], cause);
    const fields = errorFields(err);
    expect(fields).toMatchObject({ error: 'DrizzleQueryError', causes: ['Error'], code: 'D1_ERROR' });
    expect(JSON.stringify(fields)).not.toContain('shopper@example.com');
    expect(JSON.stringify(fields)).not.toContain('UNIQUE');
  });

  it("names Stripe's errors by their type and keeps their code, not their message", () => {
    const err = new Stripe.errors.StripeCardError({
      message: 'Your card was declined for buyer@example.com',
      code: 'card_declined',
      type: 'card_error',
    });
    const fields = errorFields(err);
    expect(fields).toMatchObject({ error: 'StripeCardError', code: 'card_declined' });
    expect(JSON.stringify(fields)).not.toContain('buyer@example.com');
  });

  it('says what a thrown non-error was, not its value', () => {
    expect(errorFields('secret token')).toEqual({ error: 'string' });
  });
});
