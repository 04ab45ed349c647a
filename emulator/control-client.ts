// Typed helpers for the emulator's /_emulator control endpoints, for tests (storefront tests too):
// `const emu = emulatorControl(env.STRIPE_EMULATOR!)`, then `await emu.pay(session.id)`, `await emu.drain()`.

/** One delivery attempt as the control endpoints report it. */
export interface DeliveryResult {
  event_id: string;
  type: string;
  /** HTTP status the storefront answered (null: the request failed). */
  status: number | null;
  ok: boolean;
  attempt: number;
  error?: string;
}

export interface PayInput {
  card?: string;
  email?: string;
  name?: string;
  phone?: string;
  shipping?: { name?: string; address?: Record<string, string> };
  shipping_rate?: string;
}

export interface ControlResponse<T> {
  status: number;
  body: T;
}

/** Control client over the emulator's service binding (or any Fetcher that reaches it). */
export function emulatorControl(emulator: Fetcher, publicUrl?: string) {
  async function call<T>(method: string, path: string, body?: unknown): Promise<ControlResponse<T>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (publicUrl) headers['x-emulator-public-url'] = publicUrl;
    const res = await emulator.fetch(`http://stripe-emulator.local${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T };
  }
  async function ok<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await call<T>(method, path, body);
    if (res.status >= 400)
      throw new Error(`emulator ${method} ${path} → ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  }
  return {
    /** Raw call: status and JSON body (use for expected errors such as declines). */
    call,
    config: (
      patch: {
        auto_deliver?: boolean;
        webhook_capture?: boolean;
        retry_base_seconds?: number;
        max_attempts?: number;
        webhook_url?: string | null;
        webhook_secret?: string | null;
      } = {},
    ) => ok<Record<string, unknown>>('POST', '/_emulator/config', patch),
    /** Delivers every pending event now, in order; resolves after the storefront answered each. */
    drain: () => ok<DeliveryResult[]>('POST', '/_emulator/deliveries/drain'),
    deliveries: (eventId?: string) =>
      ok<{
        pending: Array<{ event_id: string; type: string; attempts: number }>;
        deliveries: Array<{
          event_id: string;
          type: string;
          state: string;
          attempts: number;
          last_status: number | null;
        }>;
        attempts: Array<{
          event_id: string;
          attempt: number;
          status: number | null;
          trigger: string;
          request_headers: Record<string, string> | null;
          request_body: string | null;
        }>;
      }>('GET', `/_emulator/deliveries${eventId ? `?event_id=${encodeURIComponent(eventId)}` : ''}`),
    resend: (eventId: string) => ok<DeliveryResult>('POST', `/_emulator/events/${eventId}/resend`),
    duplicate: (eventId: string) => ok<DeliveryResult[]>('POST', `/_emulator/events/${eventId}/duplicate`),
    deliver: (eventIds: string[]) =>
      ok<DeliveryResult[]>('POST', '/_emulator/deliver', { event_ids: eventIds }),
    trigger: (body: { type: string; [k: string]: unknown }) =>
      ok<{ objects: Record<string, string>; events: Array<{ id: string; type: string }> }>(
        'POST',
        '/_emulator/trigger',
        body,
      ),
    faults: (body: {
      fail_next?: number;
      status?: 500 | 502 | 503 | 429;
      fail_transfers_to?: string | string[] | null;
    }) =>
      ok<{ fail_next: number; status: number; fail_transfers_to: string[] }>(
        'POST',
        '/_emulator/faults',
        body,
      ),
    /** Pays a Checkout Session like the hosted page (default card 4242…); throws on a decline. */
    pay: (sessionId: string, input: PayInput = {}) =>
      ok<{ redirect: string; session: string; payment_intent: string | null; subscription: string | null }>(
        'POST',
        `/_emulator/checkout/sessions/${sessionId}/pay`,
        { card: '4242424242424242', ...input },
      ),
    completeOnboarding: (
      accountId: string,
      details: { business_name?: string; email?: string; url?: string } = {},
    ) => ok<Record<string, unknown>>('POST', `/_emulator/accounts/${accountId}/complete_onboarding`, details),
    updateAccount: (
      accountId: string,
      flags: { charges_enabled?: boolean; payouts_enabled?: boolean; details_submitted?: boolean },
    ) => ok<Record<string, unknown>>('POST', `/_emulator/accounts/${accountId}/update`, flags),
    renewSubscription: (subscriptionId: string) =>
      ok<{ subscription: string; invoice: string }>(
        'POST',
        `/_emulator/subscriptions/${subscriptionId}/renew`,
      ),
    /** Gives a subscription a new default card (e.g. `4000000000000002` to make its renewals fail). */
    setSubscriptionCard: (subscriptionId: string, card: string) =>
      ok<{ subscription: string; payment_method: string }>(
        'POST',
        `/_emulator/subscriptions/${subscriptionId}/card`,
        { card },
      ),
    /** Pays an open invoice like its hosted page (a new card, or the subscription's own). */
    payInvoice: (invoiceId: string, card?: string) =>
      ok<{ invoice: string; status: string }>(
        'POST',
        `/_emulator/invoices/${invoiceId}/pay`,
        card ? { card } : {},
      ),
    /** Opens a dispute on a charge as the cardholder's bank would (amount: the whole charge by default). */
    disputeCharge: (chargeId: string, body: { amount?: number; reason?: string } = {}) =>
      ok<{ dispute: string; status: string; amount: number }>(
        'POST',
        `/_emulator/charges/${chargeId}/dispute`,
        body,
      ),
    /** Closes an open dispute as the bank rules: `won` reinstates the funds, `lost` keeps them withdrawn. */
    closeDispute: (disputeId: string, outcome: 'won' | 'lost') =>
      ok<{ dispute: string; status: string }>('POST', `/_emulator/disputes/${disputeId}/close`, { outcome }),
    advanceClock: (seconds: number) => ok<{ now: number }>('POST', '/_emulator/clock/advance', { seconds }),
    reset: () => ok<{ reset: true }>('POST', '/_emulator/reset'),
  };
}

export type EmulatorControl = ReturnType<typeof emulatorControl>;
