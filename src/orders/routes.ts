// The order page.
import { Hono } from 'hono';

export const orderRoutes = new Hono<{ Bindings: Env }>();
