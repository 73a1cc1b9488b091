"""Public textbook examples (not the ones in samples/), each asserting the published design decision by
decision. Sources:

- [DOCS-1:1] MongoDB Manual, "Model One-to-One Relationships with Embedded Documents" (patron and address):
  https://www.mongodb.com/docs/manual/tutorial/model-embedded-one-to-one-relationships-between-documents/
- [DOCS-1:N-EMBED] MongoDB Manual, "Model One-to-Many Relationships with Embedded Documents" (patron and
  addresses): https://www.mongodb.com/docs/manual/tutorial/model-embedded-one-to-many-relationships-between-documents/
- [DOCS-1:N-REF] MongoDB Manual, "Model One-to-Many Relationships with Document References" (publisher and
  books): https://www.mongodb.com/docs/manual/tutorial/model-referenced-one-to-many-relationships-between-documents/
- [DOCS-N:M] MongoDB Manual, "Model Many-to-Many Relationships" (books and authors, embedded):
  https://www.mongodb.com/docs/manual/tutorial/model-embedded-many-to-many-relationships-between-documents/
- [PATTERNS-EXT] MongoDB blog, "Building with Patterns: The Extended Reference Pattern" (an order holding
  its customer's name and address): https://www.mongodb.com/blog/post/building-with-patterns-the-extended-reference-pattern
- [PATTERNS-SUBSET] MongoDB blog, "Building with Patterns: The Subset Pattern" (a product holding its ten
  most recent reviews): https://www.mongodb.com/blog/post/building-with-patterns-the-subset-pattern
"""

from __future__ import annotations

from tests.mongodb.cases import decision, design_for


def test_docs_one_to_one_patron_address_is_embedded_as_an_object() -> None:
    """[DOCS-1:1]: the address is read with the patron's name all the time: embed it."""
    ddl = """
    CREATE TABLE patron (patron_id bigint PRIMARY KEY, name varchar(100) NOT NULL);
    CREATE TABLE address (patron_id bigint PRIMARY KEY REFERENCES patron (patron_id), street varchar(100) NOT NULL,
      city varchar(50) NOT NULL, state char(2) NOT NULL, zip varchar(10) NOT NULL);
    """
    workload = {
        "version": 1,
        "access_patterns": [
            {"id": "R1", "entity": "patron", "with": ["address"], "equality": ["patron_id"], "rate": 100}
        ],
    }
    _, _, design = design_for(ddl, workload)
    d = decision(design, "address")
    assert (d.choice, d.rule) == ("embed-object", "embed-one-to-one")
    assert [(e.entity, e.shape) for e in design.collection("patron").embedded] == [("address", "object")]


def test_docs_one_to_many_patron_addresses_are_embedded_as_an_array() -> None:
    """[DOCS-1:N-EMBED]: a patron has a few addresses, read with the patron: an array of addresses."""
    ddl = """
    CREATE TABLE patron (patron_id bigint PRIMARY KEY, name varchar(100) NOT NULL);
    CREATE TABLE address (address_id bigint PRIMARY KEY, patron_id bigint NOT NULL REFERENCES patron (patron_id),
      street varchar(100) NOT NULL, city varchar(50) NOT NULL, state char(2) NOT NULL, zip varchar(10) NOT NULL);
    """
    workload = {
        "version": 1,
        "access_patterns": [
            {"id": "R1", "entity": "patron", "with": ["address"], "equality": ["patron_id"], "rate": 100}
        ],
        "statistics": {"relationships": {"address.patron_id": {"avg": 2, "p99": 3, "max": 5}}},
    }
    _, _, design = design_for(ddl, workload)
    assert (decision(design, "address").choice, decision(design, "address").rule) == ("embed-array", "embed-one-to-few")
    assert [c.name for c in design.collections] == ["patron"]


def test_docs_publisher_books_keep_a_reference_to_the_publisher() -> None:
    """[DOCS-1:N-REF]: books per publisher grow without bound, so each book holds its publisher's id."""
    ddl = """
    CREATE TABLE publisher (publisher_id varchar(20) PRIMARY KEY, name varchar(100) NOT NULL,
      founded integer NOT NULL, location varchar(100) NOT NULL);
    CREATE TABLE book (book_id bigint PRIMARY KEY, title varchar(200) NOT NULL, pages integer NOT NULL,
      language varchar(20) NOT NULL, publisher_id varchar(20) NOT NULL REFERENCES publisher (publisher_id));
    """
    workload = {
        "version": 1,
        "access_patterns": [
            {"id": "R1", "entity": "book", "equality": ["book_id"], "rate": 10},
            {"id": "R2", "entity": "book", "equality": ["publisher_id"], "rate": 20},
        ],
        "statistics": {"relationships": {"book.publisher_id": {"avg": 5000, "p99": 200000, "max": 2000000}}},
    }
    _, _, design = design_for(ddl, workload)
    d = decision(design, "book")
    assert (d.choice, d.rule) == ("reference", "reference-unbounded")
    (ref,) = design.collection("book").references
    assert (ref.path, ref.style, ref.to_collection) == ("publisher_id", "parent-id", "publisher")


def test_docs_books_embed_their_few_authors() -> None:
    """[DOCS-N:M]: a book is shown with its authors' names; a book has a few authors: the book's
    document holds its authors (here the author's key plus their name), and the junction disappears."""
    ddl = """
    CREATE TABLE author (author_id bigint PRIMARY KEY, name varchar(100) NOT NULL);
    CREATE TABLE book (book_id bigint PRIMARY KEY, title varchar(200) NOT NULL);
    CREATE TABLE book_author (book_id bigint NOT NULL REFERENCES book (book_id),
      author_id bigint NOT NULL REFERENCES author (author_id), PRIMARY KEY (book_id, author_id));
    """
    workload = {
        "version": 1,
        "access_patterns": [{"id": "R1", "entity": "book", "with": ["author"], "equality": ["book_id"], "rate": 300}],
        "statistics": {
            "entities": {"author": {"rows": 2.0e6}},
            "relationships": {
                "book_author.book_id": {"avg": 2, "p99": 5, "max": 12},
                "book_author.author_id": {"avg": 4, "p99": 60, "max": 900},
            },
        },
    }
    _, _, design = design_for(ddl, workload)
    d = next(d for d in design.decisions if d.subject == "book_author")
    numbers = dict(d.numbers)
    side = "left" if numbers["left"] == "book" else "right"
    assert d.choice == "one-way-references" and numbers[f"{side}_copied_fields"] == "name"
    assert "book_author" not in {c.name for c in design.collections}
    (ref,) = design.collection("book").references
    assert ref.to_collection == "author" and ref.copied_fields == ("author_ids.name",)


def test_patterns_extended_reference_order_holds_its_customers_name_and_address() -> None:
    """[PATTERNS-EXT]: orders are shown with who they ship to; the customer has many more fields and
    changes rarely: the order keeps customer_id plus a copy of a few fields."""
    ddl = """
    CREATE TABLE customer (customer_id bigint PRIMARY KEY, name varchar(100) NOT NULL, street varchar(100) NOT NULL,
      city varchar(50) NOT NULL, country char(2) NOT NULL, phone varchar(20), email varchar(200) NOT NULL,
      birthday date, notes text);
    CREATE TABLE orders (order_id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customer (customer_id),
      placed_at timestamp NOT NULL, total numeric(10,2) NOT NULL);
    """
    workload = {
        "version": 1,
        "access_patterns": [
            {"id": "R1", "entity": "orders", "with": ["customer"], "equality": ["order_id"], "rate": 800},
            {"id": "U1", "entity": "customer", "kind": "update", "equality": ["customer_id"], "rate": 2},
        ],
        "statistics": {"relationships": {"orders.customer_id": {"avg": 30, "p99": 800, "max": 20000}}},
    }
    _, _, design = design_for(ddl, workload)
    d = decision(design, "orders")
    assert (d.choice, d.rule) == ("extended-reference", "extended-reference-read-with-parent")
    copied = dict(d.numbers)["copied_fields"].split(", ")
    assert len(copied) == 3 and "notes" not in copied and "phone" not in copied  # small, required fields
    (ref,) = design.collection("orders").references
    assert ref.style == "extended" and ref.path == "customer_id"


def test_patterns_subset_product_holds_its_ten_newest_reviews() -> None:
    """[PATTERNS-SUBSET]: a product page shows the ten most recent reviews out of thousands."""
    ddl = """
    CREATE TABLE product (product_id bigint PRIMARY KEY, name varchar(100) NOT NULL);
    CREATE TABLE review (review_id bigint PRIMARY KEY, product_id bigint NOT NULL REFERENCES product (product_id),
      stars smallint NOT NULL, body text NOT NULL, created_at timestamp NOT NULL);
    """
    workload = {
        "version": 1,
        "access_patterns": [
            {
                "id": "R1",
                "entity": "review",
                "equality": ["product_id"],
                "order_by": ["created_at desc"],
                "limit": 10,
                "rate": 400,
            }
        ],
        "statistics": {"relationships": {"review.product_id": {"avg": 200, "p99": 5000, "max": 100000}}},
    }
    _, _, design = design_for(ddl, workload)
    d = decision(design, "review")
    assert (d.choice, d.rule) == ("subset", "subset-latest-n")
    (copy,) = [e for e in design.collection("product").embedded if e.copy]
    assert (copy.entity, copy.max_items) == ("review", 10)
    assert "review" in {c.name for c in design.collections}  # the older reviews keep their own collection
