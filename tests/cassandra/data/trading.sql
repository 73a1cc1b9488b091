-- Chebotko, "Investment Portfolio Data Modeling" (DataStax, Data Modeling by Example): users own accounts, accounts
-- hold positions in instruments and place trades (trade_id a time-based uuid, as in the published physical model).
CREATE TABLE users (username VARCHAR(40) PRIMARY KEY, name VARCHAR(100) NOT NULL);
CREATE TABLE accounts (account_number VARCHAR(20) PRIMARY KEY, username VARCHAR(40) NOT NULL REFERENCES users(username),
  cash_balance DECIMAL(14,2) NOT NULL);
CREATE TABLE instruments (symbol VARCHAR(10) PRIMARY KEY, name VARCHAR(100), type VARCHAR(10) NOT NULL, quote DECIMAL(12,4));
CREATE TABLE positions (account_number VARCHAR(20) NOT NULL REFERENCES accounts(account_number),
  symbol VARCHAR(10) NOT NULL REFERENCES instruments(symbol), quantity DECIMAL(14,4) NOT NULL,
  PRIMARY KEY (account_number, symbol));
CREATE TABLE trades (trade_id UUID PRIMARY KEY DEFAULT uuid_generate_v1(),
  account_number VARCHAR(20) NOT NULL REFERENCES accounts(account_number),
  symbol VARCHAR(10) NOT NULL REFERENCES instruments(symbol),
  trade_date TIMESTAMP NOT NULL, type VARCHAR(4) NOT NULL, shares DECIMAL(14,4) NOT NULL, price DECIMAL(12,4) NOT NULL,
  amount DECIMAL(16,2) NOT NULL);
