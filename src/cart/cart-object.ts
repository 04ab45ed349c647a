// CartObject: one SQLite-backed Durable Object per visitor's cart; the only writer of its cart.
import { DurableObject } from 'cloudflare:workers';
import type { CartState } from './types';

export class CartObject extends DurableObject<Env> {
  /** Liveness probe for /health. */
  async ping(): Promise<'pong'> {
    return 'pong';
  }

  /** The cart as stored (scaffold: always empty until the cart issue lands). */
  async getState(): Promise<CartState> {
    return { id: this.ctx.id.name ?? this.ctx.id.toString(), version: 0, lines: [], updatedAt: 0 };
  }
}
