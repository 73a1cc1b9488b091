-- Multi-tenant ad analytics (PostgreSQL / Citus): companies are the tenants.
--
-- Source: the Citus documentation, "Multi-tenant Applications" use-case guide, section "Preparing Tables
-- and Ingesting Data" (the tables after adding company_id to every key):
--   https://docs.citusdata.com/en/latest/use_cases/multi_tenant.html
--   (github.com/citusdata/citus_docs, use_cases/multi_tenant.rst, commit 0a915df058f4)
-- and its row-level-security pattern, "Row-Level Security" in the cluster management guide
-- (admin_guide/cluster_management.rst): a policy comparing the connecting role with the tenant column,
-- `current_user = 'tenant_' || tenant_id::text`.
-- Licence: Creative Commons Attribution 4.0 International (CC BY 4.0), (c) Citus Data / Microsoft;
--   https://creativecommons.org/licenses/by/4.0/ (the repository's LICENSE.md).
-- Changes made here: the "-- was: / -- added" comments are removed; the documentation's policy, written
-- there for a table distributed by tenant_id, is applied to each table by its company_id (and by id on
-- companies); its admin policy `TO citus USING (true)` is left out so the file loads without that role.
-- SELECT create_distributed_table(...) is not part of the schema and is left out.

CREATE TABLE companies (
  id bigserial PRIMARY KEY,
  name text NOT NULL,
  image_url text,
  created_at timestamp without time zone NOT NULL,
  updated_at timestamp without time zone NOT NULL
);

CREATE TABLE campaigns (
  id bigserial,
  company_id bigint REFERENCES companies (id),
  name text NOT NULL,
  cost_model text NOT NULL,
  state text NOT NULL,
  monthly_budget bigint,
  blacklisted_site_urls text[],
  created_at timestamp without time zone NOT NULL,
  updated_at timestamp without time zone NOT NULL,
  PRIMARY KEY (company_id, id)
);

CREATE TABLE ads (
  id bigserial,
  company_id bigint,
  campaign_id bigint,
  name text NOT NULL,
  image_url text,
  target_url text,
  impressions_count bigint DEFAULT 0,
  clicks_count bigint DEFAULT 0,
  created_at timestamp without time zone NOT NULL,
  updated_at timestamp without time zone NOT NULL,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, campaign_id)
    REFERENCES campaigns (company_id, id)
);

CREATE TABLE clicks (
  id bigserial,
  company_id bigint,
  ad_id bigint,
  clicked_at timestamp without time zone NOT NULL,
  site_url text NOT NULL,
  cost_per_click_usd numeric(20,10),
  user_ip inet NOT NULL,
  user_data jsonb NOT NULL,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, ad_id)
    REFERENCES ads (company_id, id)
);

CREATE TABLE impressions (
  id bigserial,
  company_id bigint,
  ad_id bigint,
  seen_at timestamp without time zone NOT NULL,
  site_url text NOT NULL,
  cost_per_impression_usd numeric(20,10),
  user_ip inet NOT NULL,
  user_data jsonb NOT NULL,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, ad_id)
    REFERENCES ads (company_id, id)
);

-- Each tenant connects as role tenant_<company id>.
CREATE POLICY company_self ON companies USING (current_user = 'tenant_' || id::text);
CREATE POLICY campaigns_tenant ON campaigns USING (current_user = 'tenant_' || company_id::text);
CREATE POLICY ads_tenant ON ads USING (current_user = 'tenant_' || company_id::text);
CREATE POLICY clicks_tenant ON clicks USING (current_user = 'tenant_' || company_id::text);
CREATE POLICY impressions_tenant ON impressions USING (current_user = 'tenant_' || company_id::text);

ALTER TABLE companies ENABLE ROW LEVEL SECURITY;
ALTER TABLE campaigns ENABLE ROW LEVEL SECURITY;
ALTER TABLE ads ENABLE ROW LEVEL SECURITY;
ALTER TABLE clicks ENABLE ROW LEVEL SECURITY;
ALTER TABLE impressions ENABLE ROW LEVEL SECURITY;
