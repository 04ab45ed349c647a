-- Transfers taken back by refunds get their own statuses (partially_reversed, reversed); rows written
-- before them say so from what Stripe reported reversed. The column is TEXT: no constraint to change.
UPDATE transfers SET status = CASE WHEN amount_reversed >= amount THEN 'reversed' ELSE 'partially_reversed' END,
  updated_at = unixepoch()
WHERE status = 'sent' AND amount_reversed > 0;
