-- E-commerce shop (PostgreSQL): customers, addresses, catalogue, orders, payments, reviews.

CREATE TYPE order_status AS ENUM ('pending', 'paid', 'shipped', 'delivered', 'cancelled');

CREATE TABLE customers (
    customer_id  bigserial PRIMARY KEY,
    email        varchar(320) NOT NULL UNIQUE,
    full_name    varchar(200) NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE addresses (
    address_id   bigserial PRIMARY KEY,
    customer_id  bigint NOT NULL REFERENCES customers ON DELETE CASCADE,
    kind         varchar(10) NOT NULL CHECK (kind IN ('billing', 'shipping')),
    line1        varchar(200) NOT NULL,
    city         varchar(100) NOT NULL,
    postal_code  varchar(20) NOT NULL,
    country      char(2) NOT NULL
);

CREATE TABLE categories (
    category_id  serial PRIMARY KEY,
    name         varchar(100) NOT NULL UNIQUE,
    parent_id    integer REFERENCES categories (category_id)
);

CREATE TABLE products (
    product_id   bigserial PRIMARY KEY,
    sku          varchar(40) NOT NULL UNIQUE,
    name         varchar(200) NOT NULL,
    description  text,
    price        numeric(10, 2) NOT NULL CHECK (price >= 0),
    category_id  integer NOT NULL REFERENCES categories (category_id),
    attributes   jsonb,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE orders (
    order_id     bigserial PRIMARY KEY,
    customer_id  bigint NOT NULL REFERENCES customers (customer_id),
    status       order_status NOT NULL DEFAULT 'pending',
    order_date   timestamptz NOT NULL DEFAULT now(),
    total        numeric(12, 2) NOT NULL,
    shipping_address_id bigint REFERENCES addresses (address_id)
);
CREATE INDEX orders_customer_date_idx ON orders (customer_id, order_date DESC);

CREATE TABLE order_items (
    order_id     bigint NOT NULL REFERENCES orders (order_id) ON DELETE CASCADE,
    line_no      smallint NOT NULL,
    product_id   bigint NOT NULL REFERENCES products (product_id),
    quantity     integer NOT NULL CHECK (quantity > 0),
    unit_price   numeric(10, 2) NOT NULL,
    PRIMARY KEY (order_id, line_no)
);

CREATE TABLE payments (
    payment_id   uuid PRIMARY KEY,
    order_id     bigint NOT NULL UNIQUE REFERENCES orders (order_id),
    provider     varchar(40) NOT NULL,
    amount       numeric(12, 2) NOT NULL,
    paid_at      timestamptz NOT NULL
);

CREATE TABLE reviews (
    review_id    bigserial PRIMARY KEY,
    product_id   bigint NOT NULL REFERENCES products (product_id),
    customer_id  bigint NOT NULL REFERENCES customers (customer_id),
    rating       smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
    body         text,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reviews_product_idx ON reviews (product_id, created_at DESC);
