// The cron sweep: re-sends payout rows that never reached the queue, expires stale checkouts.

/** Runs every few minutes (wrangler.toml [triggers]). */
export async function handleScheduled(_controller: ScheduledController, _env: Env): Promise<void> {}
