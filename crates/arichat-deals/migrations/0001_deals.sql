-- Sellers, their sales (one per chat post), the sales' details, commissions and
-- monthly goals. Money is integer minor units with an ISO 4217 code: never a float.
CREATE TABLE sellers (
    id         BIGSERIAL PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE sales (
    id           BIGSERIAL PRIMARY KEY,
    -- The chat post that recorded the sale: a redelivered hook finds it taken.
    post_id      TEXT NOT NULL UNIQUE,
    seller_id    BIGINT NOT NULL REFERENCES sellers (id),
    customer     TEXT NOT NULL,
    amount_minor BIGINT NOT NULL CHECK (amount_minor >= 0),
    currency     CHAR(3) NOT NULL,
    recorded_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX sales_seller_time ON sales (seller_id, recorded_at);

CREATE TABLE sale_details (
    sale_id BIGINT NOT NULL REFERENCES sales (id) ON DELETE CASCADE,
    item    TEXT NOT NULL,
    units   INTEGER NOT NULL CHECK (units >= 0),
    PRIMARY KEY (sale_id, item)
);

CREATE TABLE commissions (
    sale_id      BIGINT PRIMARY KEY REFERENCES sales (id) ON DELETE CASCADE,
    amount_minor BIGINT NOT NULL CHECK (amount_minor >= 0),
    currency     CHAR(3) NOT NULL
);

CREATE TABLE monthly_goals (
    seller_id  BIGINT NOT NULL REFERENCES sellers (id),
    -- The first day of the month (UTC).
    month      DATE NOT NULL CHECK (EXTRACT(DAY FROM month) = 1),
    goal_minor BIGINT NOT NULL CHECK (goal_minor > 0),
    currency   CHAR(3) NOT NULL,
    PRIMARY KEY (seller_id, month)
);
