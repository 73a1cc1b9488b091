"""Issue 11 x issue 15 for DynamoDB: relationship paths over COMPOSITE, tenant-first keys (a workspace's
boards, their cards, the cards' comments; every key and foreign key starts with the tenant column), the
shape of samples/citus_adtech.sql on a schema of its own.

The rules from the literature each pattern follows (The DynamoDB Book, ch. 9; AWS "Best practices for
modeling relational data in DynamoDB"):
- a child read with its parents carries copies of the parents' attributes (one request on the child);
- a one-to-many read together shares an item collection (here a GSI's: the equality is a non-key
  attribute of the parent, and the child's foreign key may be NULL);
- an equality on a related attribute is a copied attribute keyed by a GSI.
Each case runs with the child foreign keys NOT NULL and nullable (SQL MATCH SIMPLE: a NULL reference has
no parent), and each design is proved on moto against SQL over rows where most references are set.
"""

from __future__ import annotations

import datetime as dt

import pytest

from translator.ingest import ingest_text
from translator.targets.dynamodb import TARGET, rows_to_items
from translator.targets.dynamodb.verify import verify_design
from translator.workload.loader import parse_workload

DDL = """
CREATE TABLE workspaces (id bigint PRIMARY KEY, title text NOT NULL);
CREATE TABLE boards (
  workspace_id bigint NOT NULL REFERENCES workspaces (id), id bigint NOT NULL,
  title text NOT NULL, status text NOT NULL,
  PRIMARY KEY (workspace_id, id));
CREATE TABLE cards (
  workspace_id bigint NOT NULL, id bigint NOT NULL, board_id bigint {null},
  label text NOT NULL, created_at timestamp NOT NULL,
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, board_id) REFERENCES boards (workspace_id, id));
CREATE TABLE comments (
  workspace_id bigint NOT NULL, id bigint NOT NULL, card_id bigint {null},
  body text NOT NULL, posted_at timestamp NOT NULL,
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, card_id) REFERENCES cards (workspace_id, id));
"""

PATTERNS = {
    "boards-with-cards": {"entity": "boards", "with": ["cards"], "equality": ["workspace_id", "status"]},
    "comments-by-board": {
        "entity": "comments",
        "with": ["cards"],
        "equality": ["workspace_id", "cards.board_id"],
        "order_by": ["posted_at desc"],
        "limit": 50,
    },
    "card-with-parents": {
        "entity": "cards",
        "with": ["boards", "boards.workspaces"],
        "equality": ["workspace_id", "id"],
    },
}


def _schema(nullable: bool):
    return ingest_text(DDL.format(null="" if nullable else "NOT NULL"), "postgres")


def _design(nullable: bool, pattern_id: str):
    schema = _schema(nullable)
    spec = {"id": pattern_id, "rate": 10, **PATTERNS[pattern_id]}
    writes = [{"id": f"put-{e}", "kind": "write", "entity": e, "rate": 1} for e in ("boards", "cards", "comments")]
    update = {"id": "rename-board", "kind": "update", "entity": "boards", "equality": ["workspace_id", "id"]}
    workload = parse_workload(
        {"version": 1, "tenant": "workspace_id", "access_patterns": [spec, *writes, {**update, "rate": 1}]},
        schema,
        "<test>",
    )
    return schema, workload, TARGET.design(schema, workload)


def _rows(nullable: bool):
    """Two tenants; every card but one (nullable case) on a board, every comment but one on a card."""
    at = dt.datetime(2024, 1, 1)
    rows = {
        "workspaces": [{"id": w, "title": f"ws{w}"} for w in (1, 2)],
        "boards": [
            {"workspace_id": w, "id": b, "title": f"b{w}.{b}", "status": ("open", "closed")[b % 2]}
            for w in (1, 2)
            for b in (1, 2, 3)
        ],
        "cards": [
            {"workspace_id": w, "id": c, "board_id": 1 + c % 3, "label": f"c{c}", "created_at": at}
            for w in (1, 2)
            for c in range(1, 7)
        ],
        "comments": [
            {"workspace_id": w, "id": n, "card_id": 1 + n % 6, "body": f"m{n}", "posted_at": at + dt.timedelta(n)}
            for w in (1, 2)
            for n in range(1, 9)
        ],
    }
    if nullable:
        rows["cards"][0]["board_id"] = None
        rows["comments"][0]["card_id"] = None
    return rows


@pytest.mark.parametrize("nullable", [False, True], ids=["required-fk", "nullable-fk"])
@pytest.mark.parametrize("pattern_id", sorted(PATTERNS))
def test_each_path_over_tenant_first_composite_keys_is_one_request_that_agrees_with_sql(pattern_id, nullable, ddb):
    schema, workload, design = _design(nullable, pattern_id)
    plan = next(p for p in design.access_patterns if p.id == pattern_id)
    errors = [d for d in design.diagnostics if d.severity.name == "ERROR"]
    assert plan.operation in ("GetItem", "Query") and not plan.flagged and not errors, (plan, errors)
    assert set(plan.returns) == {plan.entity, *(e.split(".")[-1] for e in PATTERNS[pattern_id]["with"])}
    report = verify_design(schema, workload, design, _rows(nullable), ddb)
    assert report.ok and all(r.status == "pass" for r in report.results), report.results


@pytest.mark.parametrize("nullable", [False, True], ids=["required-fk", "nullable-fk"])
def test_a_card_carries_its_board_and_workspace_and_an_orphan_carries_none(nullable):
    schema, _workload, design = _design(nullable, "card-with-parents")
    plan = next(p for p in design.access_patterns if p.id == "card-with-parents")
    carried = {c.entity: dict(c.columns) for c in plan.carried}
    assert set(carried) == {"boards", "workspaces"}
    # the board's key columns are the card's own foreign-key columns; its title is a copy
    assert carried["boards"]["id"] == "board_id" and carried["boards"]["workspace_id"] == "workspace_id"
    title = carried["boards"]["title"]
    assert title not in {a.name for a in schema.entity("cards").attributes}
    rows = _rows(nullable)
    items = [i for items in rows_to_items(schema, design, rows).values() for i in items]
    cards = {(i["workspace_id"], i["label"]): i for i in items if "label" in i}
    assert len(cards) == len(rows["cards"])
    for card in rows["cards"]:
        item = cards[(card["workspace_id"], card["label"])]
        if card["board_id"] is None:
            assert title not in item
        else:
            assert item[title] == f"b{card['workspace_id']}.{card['board_id']}"
    # renaming a board rewrites the cards holding its title
    rename = next(p for p in design.access_patterns if p.id == "rename-board")
    assert "cards" in rename.also_writes
    # ... and the cards of one board can be found to rewrite: some key of cards is led by the board's key
    assert any(
        set(p.partition.parts) <= {"workspace_id", "board_id"}
        and "board_id" in (*p.partition.parts, *p.sort.parts[:1])
        for p in design.entity("cards").paths
    ), design.entity("cards").paths


def test_boards_and_their_cards_share_one_gsi_partition_per_status():
    schema, _workload, design = _design(True, "boards-with-cards")
    plan = next(p for p in design.access_patterns if p.id == "boards-with-cards")
    boards, cards = design.entity("boards").path_on(plan.index), design.entity("cards").path_on(plan.index)
    assert boards.partition.text() == "TENANT#<workspace_id>#BOARDS#<status>"
    assert cards.partition.parts[0] == "workspace_id" and cards.partition.prefix == boards.partition.prefix
    copy = next(c for c in design.entity("cards").copies if c.part == cards.partition.parts[1])
    assert (copy.source, copy.column) == ("boards", "status")
    # a card sorts right after its board: the board's id, then the card's own tag and id
    assert boards.sort.text() == "BOARDS#<id>" and cards.sort.text() == "BOARDS#<board_id>#CARDS#<id>"
