// The operator's admin pages and JSON API.
import { Hono } from 'hono';

export const adminRoutes = new Hono<{ Bindings: Env }>();
