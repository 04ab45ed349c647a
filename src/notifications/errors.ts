// The two ways sending can fail: worth another try later, or never going to work.

/** The same message may go through later (provider 5xx or 429, timeout, network, configuration being fixed). */
export class TransientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransientError';
  }
}

/** Sending this message again cannot work (refused address, order deleted, malformed data): recorded as failed. */
export class PermanentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentError';
  }
}
