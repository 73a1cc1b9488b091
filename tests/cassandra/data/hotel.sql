-- Carpenter & Hewitt, "Cassandra: The Definitive Guide" ch. 5 (Apache Cassandra docs, "Data modeling"): the hotel
-- conceptual model as relational tables. Availability is per room and night; a room is reserved at most once a start date.
CREATE TABLE hotels (hotel_id VARCHAR(10) PRIMARY KEY, name VARCHAR(100) NOT NULL, phone VARCHAR(30),
  street VARCHAR(200), city VARCHAR(100), state_or_province VARCHAR(100), postal_code VARCHAR(20), country VARCHAR(60));
CREATE TABLE points_of_interest (poi_name VARCHAR(100) PRIMARY KEY, description TEXT);
CREATE TABLE hotel_pois (hotel_id VARCHAR(10) NOT NULL REFERENCES hotels(hotel_id),
  poi_name VARCHAR(100) NOT NULL REFERENCES points_of_interest(poi_name), PRIMARY KEY (hotel_id, poi_name));
CREATE TABLE rooms (hotel_id VARCHAR(10) NOT NULL REFERENCES hotels(hotel_id), room_number SMALLINT NOT NULL,
  rate DECIMAL(10,2), PRIMARY KEY (hotel_id, room_number));
CREATE TABLE amenities (hotel_id VARCHAR(10) NOT NULL, room_number SMALLINT NOT NULL, amenity_name VARCHAR(100) NOT NULL,
  description TEXT, PRIMARY KEY (hotel_id, room_number, amenity_name),
  FOREIGN KEY (hotel_id, room_number) REFERENCES rooms(hotel_id, room_number));
CREATE TABLE room_availability (hotel_id VARCHAR(10) NOT NULL, room_number SMALLINT NOT NULL, date DATE NOT NULL,
  is_available BOOLEAN NOT NULL, PRIMARY KEY (hotel_id, room_number, date),
  FOREIGN KEY (hotel_id, room_number) REFERENCES rooms(hotel_id, room_number));
CREATE TABLE guests (guest_id UUID PRIMARY KEY, first_name VARCHAR(60), last_name VARCHAR(60) NOT NULL,
  title VARCHAR(20), email VARCHAR(200), phone_number VARCHAR(30));
CREATE TABLE reservations (confirm_number VARCHAR(20) PRIMARY KEY, hotel_id VARCHAR(10) NOT NULL,
  room_number SMALLINT NOT NULL, guest_id UUID NOT NULL REFERENCES guests(guest_id),
  start_date DATE NOT NULL, end_date DATE NOT NULL,
  FOREIGN KEY (hotel_id, room_number) REFERENCES rooms(hotel_id, room_number),
  UNIQUE (hotel_id, room_number, start_date));
