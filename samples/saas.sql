-- Multi-tenant SaaS issue tracker (PostgreSQL). Every tenant-scoped table carries tenant_id in its
-- primary key, so rows of one tenant can be co-located; foreign keys include tenant_id for the same reason.

CREATE TYPE issue_status AS ENUM ('open', 'in_progress', 'resolved', 'closed');
CREATE TYPE plan_tier AS ENUM ('free', 'team', 'business', 'enterprise');

CREATE TABLE tenants (
    tenant_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        varchar(200) NOT NULL,
    plan        plan_tier NOT NULL DEFAULT 'free',
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (name)
);
COMMENT ON TABLE tenants IS 'A customer organisation; the unit of isolation.';

CREATE TABLE users (
    tenant_id   bigint NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
    user_id     bigint NOT NULL,
    email       varchar(320) NOT NULL,
    full_name   varchar(200),
    is_admin    boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, user_id),
    UNIQUE (tenant_id, email)
);

CREATE TABLE projects (
    tenant_id   bigint NOT NULL,
    project_id  bigint NOT NULL,
    key         varchar(10) NOT NULL,
    name        varchar(200) NOT NULL,
    owner_id    bigint NOT NULL,
    archived    boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, project_id),
    UNIQUE (tenant_id, key),
    CONSTRAINT projects_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (tenant_id) ON DELETE CASCADE,
    CONSTRAINT projects_owner_fk FOREIGN KEY (tenant_id, owner_id) REFERENCES users (tenant_id, user_id)
);

CREATE TABLE issues (
    tenant_id    bigint NOT NULL,
    issue_id     bigint NOT NULL,
    project_id   bigint NOT NULL,
    number       integer NOT NULL,
    title        varchar(300) NOT NULL,
    body         text,
    status       issue_status NOT NULL DEFAULT 'open',
    priority     smallint NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 5),
    reporter_id  bigint NOT NULL,
    assignee_id  bigint,
    labels       text[],
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, issue_id),
    UNIQUE (tenant_id, project_id, number),
    FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, project_id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, reporter_id) REFERENCES users (tenant_id, user_id),
    FOREIGN KEY (tenant_id, assignee_id) REFERENCES users (tenant_id, user_id)
);
CREATE INDEX issues_project_status_idx ON issues (tenant_id, project_id, status);
CREATE INDEX issues_open_assignee_idx ON issues (tenant_id, assignee_id) WHERE status <> 'closed';

CREATE TABLE comments (
    tenant_id   bigint NOT NULL,
    comment_id  bigint NOT NULL,
    issue_id    bigint NOT NULL,
    author_id   bigint NOT NULL,
    body        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, comment_id),
    FOREIGN KEY (tenant_id, issue_id) REFERENCES issues (tenant_id, issue_id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, author_id) REFERENCES users (tenant_id, user_id)
);
CREATE INDEX comments_issue_idx ON comments (tenant_id, issue_id, created_at);

CREATE TABLE invoices (
    tenant_id    bigint NOT NULL REFERENCES tenants (tenant_id),
    invoice_id   bigint NOT NULL,
    number       varchar(40) NOT NULL,
    issued_on    date NOT NULL,
    due_on       date NOT NULL,
    amount       numeric(12, 2) NOT NULL CHECK (amount >= 0),
    currency     char(3) NOT NULL DEFAULT 'EUR',
    paid_at      timestamptz,
    PRIMARY KEY (tenant_id, invoice_id),
    UNIQUE (tenant_id, number)
);
COMMENT ON COLUMN invoices.amount IS 'Total including tax, in currency.';

-- Row-level security: the application sets the tenant once per connection or transaction
-- (SET app.tenant_id = '42'), and PostgreSQL admits only that tenant's rows in every tenant-scoped
-- table. polyschema reads the tenant column of each table from these policies (docs/tenancy.md).
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE projects ENABLE ROW LEVEL SECURITY;
ALTER TABLE issues ENABLE ROW LEVEL SECURITY;
ALTER TABLE issues FORCE ROW LEVEL SECURITY;
ALTER TABLE comments ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;

CREATE POLICY tenant_self ON tenants
    USING (tenant_id = current_setting('app.tenant_id')::bigint);
CREATE POLICY users_tenant_isolation ON users
    USING (tenant_id = current_setting('app.tenant_id')::bigint);
CREATE POLICY users_admin_changes ON users AS RESTRICTIVE FOR UPDATE
    USING (current_setting('app.is_admin', true)::boolean);
CREATE POLICY projects_tenant_isolation ON projects
    USING (tenant_id = current_setting('app.tenant_id')::bigint);
CREATE POLICY issues_tenant_isolation ON issues
    USING (tenant_id = current_setting('app.tenant_id')::bigint);
CREATE POLICY comments_tenant_isolation ON comments FOR ALL
    USING (tenant_id = current_setting('app.tenant_id')::bigint)
    WITH CHECK (tenant_id = current_setting('app.tenant_id')::bigint);
CREATE POLICY invoices_tenant_isolation ON invoices FOR SELECT
    USING (tenant_id = current_setting('app.tenant_id')::bigint);
