-- deploy/examples/jurisdictions.sql - a starting point for the
-- jurisdiction_rules table (docs/ACCOUNTS.md, "Jurisdictions").
--
-- NOT LEGAL ADVICE.  This is the maintainers' reading, as of December
-- 2026, of which places require a verified age (not a click-through) before
-- adult content is shown.  Laws change, are enjoined and take effect on
-- dates of their own; the operator and their counsel own this table.
-- Review every row before loading it, and again whenever a law changes.
--
-- Load as the owner role (the workers' role may only read it), then every
-- worker picks it up within JURIS_REFRESH_S (60 s):
--   psql "$OWNER_URL" -v ON_ERROR_STOP=1 -f deploy/examples/jurisdictions.sql
-- Re-running it updates the rule and note of the rows it names and leaves
-- any other row alone.  A place not listed gets the click-through gate.
BEGIN;

INSERT INTO jurisdiction_rules (country_code, region, rule, note) VALUES
    -- United States: state age-verification statutes for sites with a
    -- substantial share of material harmful to minors.  Texas's (HB 1181)
    -- was upheld in Free Speech Coalition v. Paxton (2025).
    ('US', 'AL', 'verify', 'Alabama HB 164 (2024)'),
    ('US', 'AR', 'verify', 'Arkansas SB 66 (2023)'),
    ('US', 'AZ', 'verify', 'Arizona HB 2112 (2025)'),
    ('US', 'FL', 'verify', 'Florida HB 3 (2024)'),
    ('US', 'GA', 'verify', 'Georgia SB 351 (2024)'),
    ('US', 'ID', 'verify', 'Idaho HB 498 (2024)'),
    ('US', 'IN', 'verify', 'Indiana SEA 17 (2024)'),
    ('US', 'KS', 'verify', 'Kansas SB 394 (2024)'),
    ('US', 'KY', 'verify', 'Kentucky HB 278 (2024)'),
    ('US', 'LA', 'verify', 'Louisiana Act 440 (2022)'),
    ('US', 'MO', 'verify', 'Missouri 15 CSR 60-17 (2025)'),
    ('US', 'MS', 'verify', 'Mississippi SB 2346 (2023)'),
    ('US', 'MT', 'verify', 'Montana SB 544 (2023)'),
    ('US', 'NC', 'verify', 'North Carolina HB 8 (2023)'),
    ('US', 'ND', 'verify', 'North Dakota HB 1561 (2025)'),
    ('US', 'NE', 'verify', 'Nebraska LB 1092 (2024)'),
    ('US', 'OH', 'verify', 'Ohio HB 96 (2025)'),
    ('US', 'OK', 'verify', 'Oklahoma SB 1959 (2024)'),
    ('US', 'SC', 'verify', 'South Carolina HB 3424 (2024)'),
    ('US', 'SD', 'verify', 'South Dakota HB 1053 (2025)'),
    ('US', 'TN', 'verify', 'Tennessee Protect Tennessee Minors Act (2024)'),
    ('US', 'TX', 'verify', 'Texas HB 1181 (2023)'),
    ('US', 'UT', 'verify', 'Utah SB 287 (2023)'),
    ('US', 'VA', 'verify', 'Virginia SB 1515 (2023)'),
    ('US', 'WY', 'verify', 'Wyoming HB 43 (2025)'),
    -- Europe: national rules requiring effective age assurance.
    ('GB', '', 'verify', 'Online Safety Act 2023, Part 5 (in force July 2025)'),
    ('FR', '', 'verify', 'Loi SREN 2024, Arcom reference framework (2025)'),
    ('IT', '', 'verify', 'AGCOM resolution 96/25/CONS (2025)'),
    ('DE', '', 'verify', 'JMStV: closed user group with age verification')
ON CONFLICT (country_code, region)
    DO UPDATE SET rule = EXCLUDED.rule, note = EXCLUDED.note;

COMMIT;
