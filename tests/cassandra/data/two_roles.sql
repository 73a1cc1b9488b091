CREATE TABLE airports (airport_id INT PRIMARY KEY, code CHAR(3) NOT NULL, city VARCHAR(50) NOT NULL);
CREATE TABLE flights (flight_id INT PRIMARY KEY, origin_id INT NOT NULL REFERENCES airports(airport_id), dest_id INT NOT NULL REFERENCES airports(airport_id), departs TIMESTAMP NOT NULL, number VARCHAR(8) NOT NULL);
CREATE TABLE tickets (ticket_id INT PRIMARY KEY, flight_id INT NOT NULL REFERENCES flights(flight_id), seat VARCHAR(4) NOT NULL, price DECIMAL(8,2));
