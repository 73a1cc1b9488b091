CREATE TABLE authors (author_id INT PRIMARY KEY, name VARCHAR(100) NOT NULL, country VARCHAR(40) NOT NULL);
CREATE TABLE books (book_id INT PRIMARY KEY, title VARCHAR(200) NOT NULL, genre VARCHAR(20) NOT NULL);
CREATE TABLE book_authors (book_id INT NOT NULL REFERENCES books(book_id),
                           author_id INT NOT NULL REFERENCES authors(author_id),
                           PRIMARY KEY (book_id, author_id));
