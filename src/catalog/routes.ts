// Home, product and shop pages.
import { Hono } from 'hono';

export const catalogRoutes = new Hono<{ Bindings: Env }>();
