// Stripe events that reconcile payouts (transfer.created, transfer.reversed).
import type { HandlerMap } from '../webhooks/types';

export const payoutEventHandlers: HandlerMap = {};
