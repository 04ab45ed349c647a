// Vendor onboarding, shop pages and dashboard.
import { Hono } from 'hono';

export const vendorRoutes = new Hono<{ Bindings: Env }>();
