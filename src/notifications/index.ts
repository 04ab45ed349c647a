// The notifications module's public surface: queue a message in a batch, hand queued rows to NOTIFY.
export {
  queueContactMessage,
  queueOrderReceipt,
  queuePaymentFailed,
  queueRefundIssued,
  queueShipmentNotice,
  queueShopperSignIn,
  queueSubscriptionWelcome,
  queueVendorNewOrders,
  queueVendorPartNotice,
  queueVendorSignIn,
} from './senders';
export { dispatchMessages, enqueueMessage, type NotifyMessage } from './outbox';
export { maskAddress } from './text';
