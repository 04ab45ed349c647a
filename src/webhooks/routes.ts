// Stripe webhooks and their log.
import { Hono } from 'hono';

export const webhookRoutes = new Hono<{ Bindings: Env }>();
