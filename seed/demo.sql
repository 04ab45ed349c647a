-- Demo catalog for local development: four makers and sixteen products, images under public/static/img/.
-- Idempotent: every row has a stable id and `ON CONFLICT DO NOTHING`, so running it again changes nothing
-- (and keeps whatever a developer edited). Demo stores can sell (charges and payouts enabled) and have no
-- Stripe account yet; the vendors' tooling attaches emulator accounts.

INSERT INTO stores (id, slug, name, tagline, about, email, support_email, charges_enabled, payouts_enabled, details_submitted)
VALUES ('st_demo_tidewater', 'tidewater-ceramics', 'Tidewater Ceramics', 'Wheel-thrown stoneware from a harbourside studio.', 'Tidewater Ceramics is a two-person studio by the water. Every piece is thrown, trimmed and glazed by hand in small batches, then fired to stoneware so it lives happily in a dishwasher.', 'hello@tidewater.example', 'orders@tidewater.example', 1, 1, 1)
ON CONFLICT DO NOTHING;

INSERT INTO stores (id, slug, name, tagline, about, email, support_email, charges_enabled, payouts_enabled, details_submitted)
VALUES ('st_demo_northwind', 'northwind-coffee', 'Northwind Coffee Roasters', 'Small-batch coffee, roasted on Mondays.', 'Northwind roasts twelve kilos at a time and ships within a week of roasting. We buy from a handful of farms we know by name.', 'hello@northwind.example', 'beans@northwind.example', 1, 1, 1)
ON CONFLICT DO NOTHING;

INSERT INTO stores (id, slug, name, tagline, about, email, support_email, charges_enabled, payouts_enabled, details_submitted)
VALUES ('st_demo_fernthread', 'fern-and-thread', 'Fern & Thread', 'Linen, cotton and plant-dyed textiles.', 'Fern & Thread sews everyday textiles from European linen and organic cotton, dyed with indigo and madder in our garden shed.', 'hello@fernthread.example', 'care@fernthread.example', 1, 1, 1)
ON CONFLICT DO NOTHING;

INSERT INTO stores (id, slug, name, tagline, about, email, support_email, charges_enabled, payouts_enabled, details_submitted)
VALUES ('st_demo_lantern', 'lantern-paper', 'Lantern Paper Co.', 'Notebooks and letterpress for slow writing.', 'Lantern Paper Co. prints on a 1950s Heidelberg platen and binds notebooks by hand, one signature at a time.', 'hello@lantern.example', 'print@lantern.example', 1, 1, 1)
ON CONFLICT DO NOTHING;

INSERT INTO products (id, store_id, slug, name, description, image, unit_amount, currency, recurring_interval, stock, featured, active)
VALUES ('prod_demo_stoneware_mug', 'st_demo_tidewater', 'speckled-stoneware-mug', 'Speckled Stoneware Mug', 'A generous 350 ml mug in speckled oatmeal glaze with a thumb-rest handle.

Dishwasher and microwave safe.', '/static/img/prod_demo_stoneware_mug.svg', 2800, 'usd', NULL, NULL, 1, 1)
ON CONFLICT DO NOTHING;

INSERT INTO products (id, store_id, slug, name, description, image, unit_amount, currency, recurring_interval, stock, featured, active)
VALUES ('prod_demo_ripple_bowl', 'st_demo_tidewater', 'ripple-serving-bowl', 'Ripple Serving Bowl', 'A wide serving bowl with carved ripples under a sea-green celadon. Each one is a little different.

Only a few come out of each firing.', '/static/img/prod_demo_ripple_bowl.svg', 6400, 'usd', NULL, 3, 0, 1)
ON CONFLICT DO NOTHING;

INSERT INTO products (id, store_id, slug, name, description, image, unit_amount, currency, recurring_interval, stock, featured, active)
VALUES ('prod_demo_bud_vases', 'st_demo_tidewater', 'bud-vase-trio', 'Bud Vase Trio', 'Three small vases in sand, slate and shell glazes, for a single stem each.', '/static/img/prod_demo_bud_vases.svg', 4200, 'usd', NULL, NULL, 1, 1)
ON CONFLICT DO NOTHING;

INSERT INTO products (id, store_id, slug, name, description, image, unit_amount, currency, recurring_interval, stock, featured, active)
VALUES ('prod_demo_dinner_plate', 'st_demo_tidewater', 'ash-glaze-dinner-plate', 'Ash Glaze Dinner Plate', 'A 27 cm dinner plate with a soft ash glaze that pools blue at the rim.', '/static/img/prod_demo_dinner_plate.svg', 3400, 'usd', NULL, NULL, 0, 1)
ON CONFLICT DO NOTHING;

INSERT INTO products (id, store_id, slug, name, description, image, unit_amount, currency, recurring_interval, stock, featured, active)
VALUES ('prod_demo_harbor_blend', 'st_demo_northwind', 'harbor-blend', 'Harbor Blend, Whole Bean 340 g', 'Our house espresso and filter blend: chocolate, toasted hazelnut, a little orange.', '/static/img/prod_demo_harbor_blend.svg', 1800, 'usd', NULL, NULL, 1, 1)
ON CONFLICT DO NOTHING;

INSERT INTO products (id, store_id, slug, name, description, image, unit_amount, currency, recurring_interval, stock, featured, active)
VALUES ('prod_demo_guji', 'st_demo_northwind', 'ethiopia-guji', 'Ethiopia Guji, Single Origin 250 g', 'A washed coffee from the Guji zone: jasmine, peach and black tea. Lovely as pour-over.', '/static/img/prod_demo_guji.svg', 2200, 'usd', NULL, NULL, 0, 1)
ON CONFLICT DO NOTHING;

INSERT INTO products (id, store_id, slug, name, description, image, unit_amount, currency, recurring_interval, stock, featured, active)
VALUES ('prod_demo_roasters_choice', 'st_demo_northwind', 'roasters-choice-subscription', 'Roaster''s Choice, Monthly', 'A different 340 g bag every month, chosen by the roaster and shipped the week it is roasted.

Billed monthly; cancel any time.', '/static/img/prod_demo_roasters_choice.svg', 2000, 'usd', 'month', NULL, 1, 1)
ON CONFLICT DO NOTHING;

INSERT INTO products (id, store_id, slug, name, description, image, unit_amount, currency, recurring_interval, stock, featured, active)
VALUES ('prod_demo_dripper', 'st_demo_northwind', 'pour-over-dripper', 'Ceramic Pour-Over Dripper', 'A single-cup cone dripper made with our friends at Tidewater. Takes #2 filters.', '/static/img/prod_demo_dripper.svg', 3200, 'usd', NULL, 5, 0, 1)
ON CONFLICT DO NOTHING;

INSERT INTO products (id, store_id, slug, name, description, image, unit_amount, currency, recurring_interval, stock, featured, active)
VALUES ('prod_demo_linen_tote', 'st_demo_fernthread', 'linen-market-tote', 'Linen Market Tote', 'A sturdy tote in natural linen with long handles and an inside pocket. Carries a week of groceries.', '/static/img/prod_demo_linen_tote.svg', 3600, 'usd', NULL, NULL, 1, 1)
ON CONFLICT DO NOTHING;

INSERT INTO products (id, store_id, slug, name, description, image, unit_amount, currency, recurring_interval, stock, featured, active)
VALUES ('prod_demo_indigo_scarf', 'st_demo_fernthread', 'indigo-scarf', 'Hand-Dyed Indigo Scarf', 'A light cotton-silk scarf dipped in an indigo vat, with a shibori wave pattern.

Each scarf is dyed by hand: only a couple are made each week.', '/static/img/prod_demo_indigo_scarf.svg', 5800, 'usd', NULL, 2, 1, 1)
ON CONFLICT DO NOTHING;

INSERT INTO products (id, store_id, slug, name, description, image, unit_amount, currency, recurring_interval, stock, featured, active)
VALUES ('prod_demo_waffle_throw', 'st_demo_fernthread', 'waffle-cotton-throw', 'Waffle Cotton Throw', 'A 130 x 170 cm waffle-weave throw in undyed organic cotton. Warm in winter, light in summer.', '/static/img/prod_demo_waffle_throw.svg', 12000, 'usd', NULL, NULL, 0, 1)
ON CONFLICT DO NOTHING;

INSERT INTO products (id, store_id, slug, name, description, image, unit_amount, currency, recurring_interval, stock, featured, active)
VALUES ('prod_demo_napkins', 'st_demo_fernthread', 'embroidered-napkins', 'Embroidered Napkins, Set of 4', 'Stonewashed linen napkins with a tiny embroidered fern in one corner.', '/static/img/prod_demo_napkins.svg', 3000, 'usd', NULL, NULL, 0, 1)
ON CONFLICT DO NOTHING;

INSERT INTO products (id, store_id, slug, name, description, image, unit_amount, currency, recurring_interval, stock, featured, active)
VALUES ('prod_demo_dot_notebook', 'st_demo_lantern', 'dot-grid-notebook', 'Dot-Grid Notebook, A5', '128 pages of 100 gsm dot-grid paper, sewn to open flat, in a letterpressed linen cover.', '/static/img/prod_demo_dot_notebook.svg', 1600, 'usd', NULL, NULL, 1, 1)
ON CONFLICT DO NOTHING;

INSERT INTO products (id, store_id, slug, name, description, image, unit_amount, currency, recurring_interval, stock, featured, active)
VALUES ('prod_demo_greeting_cards', 'st_demo_lantern', 'letterpress-greeting-cards', 'Letterpress Greeting Cards, Pack of 6', 'Six blank cards with botanical prints, pressed deep into cotton paper, with kraft envelopes.', '/static/img/prod_demo_greeting_cards.svg', 2400, 'usd', NULL, NULL, 0, 1)
ON CONFLICT DO NOTHING;

INSERT INTO products (id, store_id, slug, name, description, image, unit_amount, currency, recurring_interval, stock, featured, active)
VALUES ('prod_demo_wall_calendar', 'st_demo_lantern', 'botanical-wall-calendar', 'Botanical Wall Calendar', 'Twelve letterpress prints, one plant a month. This year''s print run is sold out.', '/static/img/prod_demo_wall_calendar.svg', 2600, 'usd', NULL, 0, 0, 1)
ON CONFLICT DO NOTHING;

INSERT INTO products (id, store_id, slug, name, description, image, unit_amount, currency, recurring_interval, stock, featured, active)
VALUES ('prod_demo_brass_pen', 'st_demo_lantern', 'brass-pen', 'Brass Pocket Pen', 'A solid brass pen that takes standard refills and gets better with every scratch.', '/static/img/prod_demo_brass_pen.svg', 4500, 'usd', NULL, 10, 1, 1)
ON CONFLICT DO NOTHING;

-- Categories of the demo products (the platform's list comes with migration 0009).
INSERT INTO product_categories (product_id, category_slug) VALUES
  ('prod_demo_stoneware_mug', 'ceramics'), ('prod_demo_ripple_bowl', 'ceramics'), ('prod_demo_bud_vases', 'ceramics'),
  ('prod_demo_dinner_plate', 'ceramics'), ('prod_demo_harbor_blend', 'coffee-tea'), ('prod_demo_guji', 'coffee-tea'),
  ('prod_demo_roasters_choice', 'coffee-tea'), ('prod_demo_dripper', 'kitchen'), ('prod_demo_linen_tote', 'textiles'),
  ('prod_demo_indigo_scarf', 'textiles'), ('prod_demo_waffle_throw', 'home'), ('prod_demo_napkins', 'kitchen'),
  ('prod_demo_dot_notebook', 'paper-stationery'), ('prod_demo_greeting_cards', 'paper-stationery'),
  ('prod_demo_wall_calendar', 'paper-stationery'), ('prod_demo_brass_pen', 'paper-stationery')
ON CONFLICT DO NOTHING;
