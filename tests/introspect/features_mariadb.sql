-- Column features the MariaDB reader must keep: enum/set, auto_increment, generated columns, comments, checks.
CREATE TABLE people (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  email VARCHAR(200) NOT NULL COMMENT 'login',
  feeling ENUM('sad','ok','happy') DEFAULT 'ok',
  perks SET('tea','cake'),
  height_cm DECIMAL(5,1) CHECK (height_cm > 0),
  height_in DECIMAL(6,2) AS (height_cm / 2.54) STORED,
  UNIQUE KEY people_email (email)
) COMMENT='Everyone';
CREATE TABLE notes (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  person_id INT UNSIGNED,
  body TEXT,
  doc JSON,
  KEY notes_person (person_id),
  CONSTRAINT notes_person_fk FOREIGN KEY (person_id) REFERENCES people (id) ON DELETE CASCADE
);
