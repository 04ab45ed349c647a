// The cart API and cart page.
import { Hono } from 'hono';

export const cartRoutes = new Hono<{ Bindings: Env }>();
