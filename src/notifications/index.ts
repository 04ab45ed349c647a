// The notifications module's public surface: queue a message in a batch, hand queued rows to NOTIFY.
export {
  queueContactMessage,
  queueOrderReceipt,
  queuePaymentFailed,
  queueRefundIssued,
  queueShipmentNotice,
  queueShopperSignIn,
  queueSubscriptionRenewalFailed,
  queueSubscriptionWelcome,
  queueVendorDisputeNotice,
  queueVendorNewOrders,
  queueVendorPartNotice,
  queueVendorSignIn,
} from './senders';
export { dispatchMessages } from './outbox';
