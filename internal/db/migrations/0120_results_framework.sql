-- Results framework, first slice: indicators with their reference sheets,
-- the disaggregation dimensions, a change log of each sheet, and baselines
-- and targets per subject and period with their revision history. Values,
-- forms and campaigns come later.

-- Disaggregation dimensions and their categories. Labels are translated in
-- the application (indicator.dim.*, indicator.cat.*); name is the English
-- label for the API and exports.
CREATE TABLE indicator_dimensions (
    code     TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    position INTEGER NOT NULL
);

CREATE TABLE indicator_categories (
    dimension_code TEXT NOT NULL REFERENCES indicator_dimensions (code),
    code           TEXT NOT NULL,
    name           TEXT NOT NULL,
    position       INTEGER NOT NULL,
    PRIMARY KEY (dimension_code, code)
);

INSERT INTO indicator_dimensions (code, name, position) VALUES ('sex', 'Sex', 1), ('youth', 'Youth (15–35)', 2), ('firm_size', 'Firm size', 3);

INSERT INTO indicator_categories (dimension_code, code, name, position) VALUES
    ('sex', 'women', 'Women', 1), ('sex', 'men', 'Men', 2),
    ('youth', 'youth', 'Youth (15–35)', 1), ('youth', 'not_youth', 'Not youth', 2),
    ('firm_size', 'micro', 'Micro (1–9 employees)', 1), ('firm_size', 'small', 'Small (10–49)', 2),
    ('firm_size', 'medium', 'Medium (50–249)', 3), ('firm_size', 'large', 'Large (250 or more)', 4);

-- An indicator and its reference sheet. Aggregation over subjects (clusters
-- into a country) and over time (months into a year) are kept apart: jobs
-- add up both ways, a stock such as firms certified takes the last value
-- over time but adds up over subjects. weight_code names the indicator
-- whose values weigh a weighted average. A formula indicator is computed
-- from the indicators its formula names (by code).
CREATE TABLE indicators (
    id                    {{ID}},
    code                  TEXT NOT NULL UNIQUE,
    name                  TEXT NOT NULL,
    definition            TEXT NOT NULL,
    unit                  TEXT NOT NULL,
    level                 TEXT NOT NULL CHECK (level IN ('output', 'outcome', 'impact')),
    calculation           TEXT NOT NULL CHECK (calculation IN ('numeric', 'percentage')),
    direction             TEXT NOT NULL CHECK (direction IN ('increase', 'decrease')),
    subject_aggregation   TEXT NOT NULL CHECK (subject_aggregation IN ('sum', 'last', 'average', 'weighted_average')),
    time_aggregation      TEXT NOT NULL CHECK (time_aggregation IN ('sum', 'last', 'average', 'weighted_average')),
    weight_code           TEXT NOT NULL DEFAULT '',
    means_of_verification TEXT NOT NULL DEFAULT '',
    frequency             TEXT NOT NULL CHECK (frequency IN ('monthly', 'quarterly', 'yearly')),
    responsible_role      TEXT NOT NULL,
    standard              BOOLEAN NOT NULL DEFAULT FALSE,
    formula               TEXT NOT NULL DEFAULT '',
    created_by            BIGINT REFERENCES users (id),
    created_at            {{TS}} NOT NULL,
    updated_at            {{TS}} NOT NULL,
    archived_at           {{TS}}
);
CREATE INDEX indicators_level ON indicators (level, code);

CREATE TABLE indicator_disaggregations (
    indicator_id   BIGINT NOT NULL REFERENCES indicators (id),
    dimension_code TEXT NOT NULL REFERENCES indicator_dimensions (code),
    PRIMARY KEY (indicator_id, dimension_code)
);

-- The change log of a reference sheet: who changed what, when and why.
-- changes_json lists the fields with their values before and after.
CREATE TABLE indicator_changes (
    id           {{ID}},
    indicator_id BIGINT NOT NULL REFERENCES indicators (id),
    at           {{TS}} NOT NULL,
    user_id      BIGINT REFERENCES users (id),
    actor        TEXT NOT NULL,
    changes_json TEXT NOT NULL,
    reason       TEXT NOT NULL
);
CREATE INDEX indicator_changes_indicator ON indicator_changes (indicator_id, at);

-- A baseline or target of an indicator for one subject, period and
-- category. A cluster or organisation subject is subject_id; a country is
-- subject_iso3. period_key is canonical (2025, 2025-Q3, 2025-07) and
-- period_start orders periods of different lengths. The total has empty
-- dimension and category codes. value is the current value; every value
-- ever set is in indicator_target_revisions.
CREATE TABLE indicator_targets (
    id             {{ID}},
    indicator_id   BIGINT NOT NULL REFERENCES indicators (id),
    subject_kind   TEXT NOT NULL CHECK (subject_kind IN ('cluster', 'organisation', 'country')),
    subject_id     BIGINT NOT NULL DEFAULT 0,
    subject_iso3   TEXT NOT NULL DEFAULT '',
    kind           TEXT NOT NULL CHECK (kind IN ('baseline', 'target')),
    period_type    TEXT NOT NULL CHECK (period_type IN ('month', 'quarter', 'year')),
    period_key     TEXT NOT NULL,
    period_start   TEXT NOT NULL,
    dimension_code TEXT NOT NULL DEFAULT '',
    category_code  TEXT NOT NULL DEFAULT '',
    value          DOUBLE PRECISION NOT NULL,
    note           TEXT NOT NULL DEFAULT '',
    revision       INTEGER NOT NULL DEFAULT 1,
    created_by     BIGINT REFERENCES users (id),
    created_at     {{TS}} NOT NULL,
    updated_at     {{TS}} NOT NULL,
    UNIQUE (indicator_id, subject_kind, subject_id, subject_iso3, kind, period_key, dimension_code, category_code)
);
CREATE INDEX indicator_targets_subject ON indicator_targets (subject_kind, subject_id, subject_iso3, indicator_id);

CREATE TABLE indicator_target_revisions (
    id             {{ID}},
    target_id      BIGINT NOT NULL REFERENCES indicator_targets (id),
    revision       INTEGER NOT NULL,
    value          DOUBLE PRECISION NOT NULL,
    previous_value DOUBLE PRECISION,
    note           TEXT NOT NULL DEFAULT '',
    reason         TEXT NOT NULL DEFAULT '',
    user_id        BIGINT REFERENCES users (id),
    actor          TEXT NOT NULL,
    at             {{TS}} NOT NULL,
    UNIQUE (target_id, revision)
);

-- The programme's standard indicators.
INSERT INTO indicators (code, name, definition, unit, level, calculation, direction, subject_aggregation, time_aggregation, means_of_verification, frequency, responsible_role, standard, created_at, updated_at) VALUES
('JOBS_CREATED', 'Jobs created', 'Net number of new paid jobs in the cluster''s member firms during the period, in full-time equivalents (40 hours a week; part-time and seasonal jobs count pro rata): headcount at the end of the period minus headcount at its start, for firms that were members throughout. Jobs moved between member firms, unpaid family work and the programme''s own staff are not counted. Disaggregated by the sex and the age of the person employed (youth: 15 to 35 years old).', 'jobs (FTE)', 'outcome', 'numeric', 'increase', 'sum', 'sum', 'Firm payroll records or social security registrations compared with the baseline headcount; the annual firm survey signed by the firm''s manager; spot checks of a sample of firms by the BSO.', 'yearly', 'cluster_manager', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
('REVENUE', 'Revenue of member firms', 'Total sales revenue (turnover) of the cluster''s member firms in the period, excluding VAT and other sales taxes, converted to US dollars at the period''s average exchange rate published by the central bank. Firms that joined during the period report their revenue for the whole period.', 'USD', 'impact', 'numeric', 'increase', 'sum', 'sum', 'Audited or management accounts; tax returns; the annual firm survey signed by the firm''s manager.', 'yearly', 'cluster_manager', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
('EXPORTS', 'Exports of member firms', 'Value of goods and services that member firms sold to buyers outside their own country in the period (goods valued free on board), including sales to other CARIFORUM countries, in US dollars at the period''s average exchange rate. Sales to foreign visitors within the country are not exports.', 'USD', 'impact', 'numeric', 'increase', 'sum', 'sum', 'Customs export declarations; invoices to foreign buyers; firm accounts; the annual firm survey.', 'yearly', 'cluster_manager', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
('NEW_PRODUCTS_MARKETS', 'Firms with new products or markets', 'Number of member firms that in the period began selling a product or service new to the firm, or began selling to a new market (a new country, or a new kind of buyer such as hotels, supermarkets or online retail), as a result of cluster activities. A firm counts once per period however many products or markets it adds.', 'firms', 'outcome', 'numeric', 'increase', 'sum', 'sum', 'Firm survey describing the product or market; the first sales invoice or purchase order; confirmation by the cluster manager.', 'yearly', 'cluster_manager', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
('CERTIFICATIONS', 'Certifications obtained', 'Number of certifications, accreditations or licences to a recognised standard (such as ISO 9001, ISO 22000, HACCP, GlobalG.A.P., organic, Fairtrade or a sustainable tourism standard) that member firms obtained in the period with support from the cluster. Renewals of an existing certification are not counted.', 'certifications', 'output', 'numeric', 'increase', 'sum', 'sum', 'Copy of each certificate issued by the certifying body, showing its date and scope.', 'quarterly', 'bso_staff', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
('INVESTMENT_LEVERAGED', 'Investment leveraged', 'Value of investment in cluster projects and member firms in the period beyond the programme''s own grant: counterpart cash, loans, equity and grants from other sources, in US dollars. In-kind contributions count at market value only where the call allows them. The programme''s grant is not counted.', 'USD', 'outcome', 'numeric', 'increase', 'sum', 'sum', 'Bank statements, loan or investment agreements, invoices and receipts; counterpart contribution reports checked against the project budget.', 'quarterly', 'bso_staff', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
('IMPROVED_PRACTICES', 'Firms adopting improved practices', 'Cumulative number of member firms that, since the baseline, have put into regular use at least one improved management, production, quality, environmental or digital practice promoted by the cluster (such as record keeping, food safety procedures, energy efficiency or online sales). Each firm counts once. Attending training without adopting the practice does not count. As a stock, the value of a longer period is the value at its end.', 'firms', 'outcome', 'numeric', 'increase', 'sum', 'last', 'Observation visit report by the BSO or cluster manager; photographs or documents showing the practice in use; the annual firm survey.', 'yearly', 'cluster_manager', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
('JOINT_ACTIVITIES', 'Participation in joint activities', 'Number of participations of member firms in the cluster''s joint activities held in the period: joint purchasing, shared marketing, trade missions and fairs, joint training, shared equipment and joint projects. A firm taking part in three activities counts three times. Activities of a single firm are not joint activities.', 'participations', 'output', 'numeric', 'increase', 'sum', 'sum', 'Attendance lists signed by participants; activity reports with the list of participating firms.', 'quarterly', 'cluster_manager', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);

INSERT INTO indicator_disaggregations (indicator_id, dimension_code) SELECT id, 'sex' FROM indicators WHERE code = 'JOBS_CREATED';
INSERT INTO indicator_disaggregations (indicator_id, dimension_code) SELECT id, 'youth' FROM indicators WHERE code = 'JOBS_CREATED';
INSERT INTO indicator_disaggregations (indicator_id, dimension_code) SELECT id, 'firm_size' FROM indicators WHERE code IN ('REVENUE', 'EXPORTS', 'NEW_PRODUCTS_MARKETS', 'CERTIFICATIONS', 'IMPROVED_PRACTICES');
