CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE people (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email varchar(200) NOT NULL UNIQUE,
  feeling mood DEFAULT 'ok',
  tags text[],
  height_cm numeric(5,1) CHECK (height_cm > 0),
  height_in numeric GENERATED ALWAYS AS (height_cm / 2.54) STORED,
  created timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE people IS 'Everyone';
COMMENT ON COLUMN people.email IS 'login';
CREATE TABLE notes (id serial PRIMARY KEY, person_id int REFERENCES people(id) ON DELETE CASCADE, body text, deleted boolean NOT NULL DEFAULT false);
CREATE UNIQUE INDEX notes_live ON notes (person_id, body) WHERE NOT deleted;
CREATE INDEX notes_lower ON notes (lower(body));
