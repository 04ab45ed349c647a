// Stripe events that build and update vendor stores (account.updated, deauthorization).
import type { Stripe } from '../stripe/client';
import type { HandlerMap, WebhookHandler } from '../stripe/handlers';
import { applyAccount, closeAccountStore } from './stores';

/**
 * `account.updated` (and `account.created` where a guide subscribes to it; Stripe sends platforms no
 * v1 `account.created`): builds the account's store if none knows it, else updates it. An event
 * older than one already applied is acknowledged and changes nothing.
 */
const onAccountChanged: WebhookHandler = async (event, env) => {
  const account = event.data.object as Stripe.Account;
  if (!account?.id?.startsWith('acct_')) return 'ignored';
  const { applied } = await applyAccount(env, account, event.created);
  return applied ? 'processed' : 'ignored';
};

/** `account.application.deauthorized`: the vendor disconnected; its store closes for good. */
const onDeauthorized: WebhookHandler = async (event, env) => {
  // data.object is the Application; the account is the event's `account`.
  const accountId = event.account;
  if (!accountId) return 'ignored';
  await closeAccountStore(env, accountId, event.created);
  return 'processed';
};

export const vendorEventHandlers: HandlerMap = {
  'account.updated': onAccountChanged,
  'account.created': onAccountChanged,
  'account.application.deauthorized': onDeauthorized,
};
