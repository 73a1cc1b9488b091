"""Published Cassandra designs (not the samples), reproduced decision by decision.

- Digital library: Chebotko, Kashlev, Lu, "A Big Data Modeling Methodology for Apache Cassandra", IEEE
  BigData Congress 2015, Fig. 5/6: Q1 "find artifacts published in a venue with a given name after a given
  year, newest first" is `artifacts_by_venue`, partition key venue name, clustering year DESC then artifact id.
  The venue's name lives on venues: it is copied into the artifacts table.
- KillrVideo (DataStax Academy DS220 reference application): `videos_by_user`, PRIMARY KEY ((userid),
  added_date, videoid) WITH CLUSTERING ORDER BY (added_date DESC, videoid ASC).
"""

from __future__ import annotations

from translator.ingest import ingest_text
from translator.targets.cassandra import TARGET
from translator.workload.model import AccessPattern, AttributeRef, Direction, OrderTerm, Workload

LIBRARY = """
CREATE TABLE venues (venue_id INT PRIMARY KEY, name VARCHAR(200) NOT NULL, country VARCHAR(60));
CREATE TABLE artifacts (artifact_id INT PRIMARY KEY, title VARCHAR(300) NOT NULL, year INT NOT NULL,
  venue_id INT NOT NULL REFERENCES venues(venue_id));
"""

KILLRVIDEO = """
CREATE TABLE users (userid UUID PRIMARY KEY, email VARCHAR(200) NOT NULL, firstname VARCHAR(60));
CREATE TABLE videos (videoid UUID PRIMARY KEY, userid UUID NOT NULL REFERENCES users(userid),
  name VARCHAR(200) NOT NULL, added_date TIMESTAMP NOT NULL);
"""


def _columns(table, names):
    return [table.column(c).source for c in names]


def test_chebotko_artifacts_by_venue():
    schema = ingest_text(LIBRARY, "postgres")
    year = AttributeRef("artifacts", "year")
    q1 = AccessPattern("Q1", "artifacts", equality=(AttributeRef("venues", "name"),), range=year,
                       order_by=(OrderTerm(year, Direction.DESC),))
    design = TARGET.design(schema, Workload((q1,)))
    table = design.table(design.read("Q1").table)
    assert _columns(table, table.partition_key) == ["venues.name"]
    assert [(table.column(c.column).source, c.order) for c in table.clustering] == [
        ("artifacts.year", "DESC"), ("artifacts.artifact_id", "ASC")]
    assert [d.rule for d in table.decisions if d.rule.startswith("MR-")][:1] == ["MR-eq"]
    assert any(d.rule == "MR-copy" and d.subject == "venues" for d in table.decisions)
    assert "year >= ? AND year <= ?" in design.read("Q1").query


def test_killrvideo_videos_by_user():
    schema = ingest_text(KILLRVIDEO, "postgres")
    pattern = AccessPattern("videos_by_user", "videos", equality=(AttributeRef("videos", "userid"),),
                            order_by=(OrderTerm(AttributeRef("videos", "added_date"), Direction.DESC),))
    design = TARGET.design(schema, Workload((pattern,)))
    table = design.table(design.read("videos_by_user").table)
    assert table.partition_key == ("userid",)
    assert [(c.column, c.order) for c in table.clustering] == [("added_date", "DESC"), ("videoid", "ASC")]
    cql = TARGET.render(design, "cql")
    assert "PRIMARY KEY (userid, added_date, videoid)" in cql
    assert "CLUSTERING ORDER BY (added_date DESC, videoid ASC)" in cql
