CREATE TABLE airports (airport_id INT PRIMARY KEY, code CHAR(3) NOT NULL UNIQUE, city VARCHAR(80) NOT NULL, country VARCHAR(60) NOT NULL);
CREATE TABLE flights (flight_id BIGINT PRIMARY KEY, flight_number VARCHAR(8) NOT NULL, departure_airport_id INT NOT NULL REFERENCES airports(airport_id),
  departure_date DATE NOT NULL, departure_time TIMESTAMP NOT NULL, arrival_time TIMESTAMP NOT NULL);
CREATE TABLE passengers (passenger_id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL, email VARCHAR(200) NOT NULL UNIQUE);
CREATE TABLE tickets (ticket_id BIGINT PRIMARY KEY, flight_id BIGINT NOT NULL REFERENCES flights(flight_id),
  passenger_id BIGINT NOT NULL REFERENCES passengers(passenger_id), seat VARCHAR(4), price DECIMAL(10,2));
