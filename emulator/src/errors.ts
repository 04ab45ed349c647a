// Stripe's error shape ({ error: { type, code, message, param } }) and the statuses Stripe uses for each.

/** An error the emulator answers in Stripe's JSON shape. Thrown by handlers, rendered by the router. */
export class StripeError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly code?: string,
    readonly param?: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  /** The JSON body Stripe sends for this error. */
  body(): { error: Record<string, unknown> } {
    const error: Record<string, unknown> = { type: this.type, message: this.message };
    if (this.code) {
      error.code = this.code;
      error.doc_url = `https://docs.stripe.com/error-codes/${this.code.replace(/_/g, '-')}`;
    }
    if (this.param) error.param = this.param;
    return { error: { ...error, ...this.extra } };
  }
}

/** 400 for a required parameter that is absent. */
export function missingParam(param: string): StripeError {
  return new StripeError(
    400,
    'invalid_request_error',
    `Missing required param: ${param}.`,
    'parameter_missing',
    param,
  );
}

/** 400 for a parameter with a bad value. */
export function invalidParam(param: string, message: string, code = 'parameter_invalid_string'): StripeError {
  return new StripeError(400, 'invalid_request_error', message, code, param);
}

/** 400 for a request that is well-formed but not allowed in the object's current state. */
export function invalidRequest(message: string, code?: string, param?: string): StripeError {
  return new StripeError(400, 'invalid_request_error', message, code, param);
}

/** 404 `resource_missing`, worded like Stripe ("No such payment_intent: 'pi_123'"). */
export function noSuch(kind: string, id: string, param = 'id'): StripeError {
  return new StripeError(404, 'invalid_request_error', `No such ${kind}: '${id}'`, 'resource_missing', param);
}
