// Stripe events that build and update vendor stores (account.updated, deauthorization).
import type { HandlerMap } from '../webhooks/types';

export const vendorEventHandlers: HandlerMap = {};
