// Checkout Sessions and the Payment Element path.
import { Hono } from 'hono';

export const checkoutRoutes = new Hono<{ Bindings: Env }>();
