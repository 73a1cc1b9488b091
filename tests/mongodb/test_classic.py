"""The classic MongoDB modelling cases give the expert answer, each with its rule and reason."""

from __future__ import annotations

from tests.mongodb.cases import (
    HOST_LOGS,
    HOST_LOGS_WORKLOAD,
    PERSON_ADDRESSES,
    PERSON_ADDRESSES_WORKLOAD,
    PERSON_TASKS,
    PERSON_TASKS_WORKLOAD,
    PRODUCT_PARTS,
    PRODUCT_PARTS_WORKLOAD,
    decision,
    design_for,
)
from translator.diagnostics import Severity


def _no_errors(design) -> None:
    assert not [d for d in design.diagnostics if d.severity is Severity.ERROR]


def test_person_few_addresses_read_together_are_embedded_as_array() -> None:
    _, _, design = design_for(PERSON_ADDRESSES, PERSON_ADDRESSES_WORKLOAD)
    d = decision(design, "address")
    assert (d.choice, d.rule) == ("embed-array", "embed-one-to-few")
    inputs = dict(d.numbers)
    assert inputs["fanout_max"] == 8 and inputs["together_rate"] == 500 and inputs["alone_rate"] == 0
    assert 0 < inputs["estimated_document_bytes"] < inputs["budget_bytes"]
    assert inputs["margin_bytes"] == inputs["max_document_bytes"] - inputs["estimated_document_bytes"]
    assert [c.name for c in design.collections] == ["person"]
    (emb,) = design.collections[0].embedded
    assert (emb.entity, emb.path, emb.shape) == ("address", "address", "array")
    _no_errors(design)


def test_product_parts_searched_alone_become_a_collection_with_parent_id_array() -> None:
    _, _, design = design_for(PRODUCT_PARTS, PRODUCT_PARTS_WORKLOAD)
    d = decision(design, "part")
    assert d.choice == "reference-with-child-ids"
    assert dict(d.numbers)["alone_rate"] == 600  # P2 reads + U1 updates
    product = design.collection("product")
    assert [(r.path, r.style, r.to_collection) for r in product.references] == [("part_ids", "child-ids", "part")]
    part = design.collection("part")
    assert [(r.path, r.style) for r in part.references] == [("product_id", "parent-id")]
    assert any(dict(i.keys) == {"part_no": 1} and i.unique for i in part.indexes)
    _no_errors(design)


def test_host_squillions_of_log_messages_reference_the_host() -> None:
    _, _, design = design_for(HOST_LOGS, HOST_LOGS_WORKLOAD)
    d = decision(design, "log_message")
    assert (d.choice, d.rule) == ("reference", "reference-unbounded")
    assert "1e+09" in d.reason
    logs = design.collection("log_message")
    assert [(r.path, r.to_collection) for r in logs.references] == [("host_id", "host")]
    assert not design.collection("host").references  # no unbounded id array in the host
    # ESR: equality host_id, then the sort, range on the same field collapses into it
    assert any(dict(i.keys) == {"host_id": 1, "logged_at": -1} for i in logs.indexes)
    _no_errors(design)


def test_person_task_read_both_ways_become_two_way_references() -> None:
    _, _, design = design_for(PERSON_TASKS, PERSON_TASKS_WORKLOAD)
    d = next(d for d in design.decisions if d.subject == "person_task")
    assert (d.choice, d.rule) == ("two-way-references", "many-to-many-read-both-ways")
    assert sorted(c.name for c in design.collections) == ["person", "task"]
    assert [(r.path, r.style, r.to_collection) for r in design.collection("person").references] == [
        ("task_ids", "two-way", "task")
    ]
    assert [(r.path, r.style, r.to_collection) for r in design.collection("task").references] == [
        ("person_ids", "two-way", "person")
    ]
    _no_errors(design)


def test_person_task_read_one_way_only_puts_the_array_on_that_side() -> None:
    workload = {**PERSON_TASKS_WORKLOAD, "access_patterns": PERSON_TASKS_WORKLOAD["access_patterns"][:1]}
    _, _, design = design_for(PERSON_TASKS, workload)
    d = next(d for d in design.decisions if d.subject == "person_task")
    assert d.choice == "one-way-references"
    assert design.collection("person").references and not design.collection("task").references


def test_latest_n_read_gives_subset_pattern() -> None:
    workload = {
        "version": 1,
        "access_patterns": [
            {
                "id": "R1",
                "entity": "log_message",
                "equality": ["host_id"],
                "order_by": ["logged_at desc"],
                "limit": 5,
                "rate": 300,
            }
        ],
        "statistics": HOST_LOGS_WORKLOAD["statistics"],
    }
    _, _, design = design_for(HOST_LOGS, workload)
    d = decision(design, "log_message")
    assert (d.choice, d.rule) == ("subset", "subset-latest-n")
    (emb,) = design.collection("host").embedded
    assert (emb.entity, emb.copy, emb.max_items) == ("log_message", True, 5)
    plan = next(p for p in design.access_patterns if p.id == "R1")
    assert plan.collection == "host" and plan.query["projection"] == {emb.path: 1}


def test_child_read_with_parent_gets_a_copy_of_the_small_parent() -> None:
    # Issue 11 changed this: host has one field besides its key, so the whole host object is copied into
    # each log message ("embed a parent object into its children"); an extended reference is for parents
    # with more fields than extended_reference_max_fields (see test_paths.py).
    workload = {
        "version": 1,
        "access_patterns": [
            {"id": "R1", "entity": "log_message", "with": ["host"], "equality": ["log_id"], "rate": 300}
        ],
    }
    _, _, design = design_for(HOST_LOGS, workload)
    d = decision(design, "log_message")
    assert d.choice == "parent-object-copy" and d.rule == "embed-parent-read-with-child"
    assert dict(d.numbers)["copied_fields"] == "hostname"
    (ref,) = design.collection("log_message").references
    assert ref.style == "extended" and ref.copied_fields == ("host.hostname",)


def test_without_workload_every_decision_is_a_reference_marked_assumed() -> None:
    _, _, design = design_for(PERSON_ADDRESSES, None)
    d = decision(design, "address")
    assert d.choice == "reference" and "workload" in d.assumed and "fanout" in d.assumed
    assert "workload" in design.to_dict()["assumed"]  # format_version 2: the envelope's assumed


ARTICLE_TAGS = """
CREATE TABLE article (article_id bigint PRIMARY KEY, title varchar(200) NOT NULL);
CREATE TABLE tag (tag_id integer PRIMARY KEY, label varchar(40) NOT NULL);
CREATE TABLE article_tag (
  article_id bigint NOT NULL REFERENCES article (article_id),
  tag_id integer NOT NULL REFERENCES tag (tag_id),
  PRIMARY KEY (article_id, tag_id)
);
"""


def _article_workload(tag_rows: float, tag_updates: bool, update_rate: float = 1) -> dict:
    patterns = [{"id": "A1", "entity": "article", "with": ["tag"], "equality": ["article_id"], "rate": 300}]
    if tag_updates:
        patterns.append({"id": "U1", "entity": "tag", "kind": "update", "equality": ["tag_id"], "rate": update_rate})
    return {
        "version": 1,
        "access_patterns": patterns,
        "statistics": {
            "entities": {"tag": {"rows": tag_rows}},
            "relationships": {
                "article_tag.article_id": {"avg": 4, "p99": 10, "max": 20},
                "article_tag.tag_id": {"avg": 50, "p99": 5000, "max": 9000},
            },
        },
    }


def test_small_read_only_many_to_many_side_is_copied_into_the_array() -> None:
    from translator.targets.mongodb import documents_to_rows, rows_to_documents

    _, _, design = design_for(ARTICLE_TAGS, _article_workload(200, tag_updates=False))
    d = next(d for d in design.decisions if d.subject == "article_tag")
    assert d.choice == "one-way-references" and dict(d.numbers)["left_copied_fields"] == "label"
    (ref,) = design.collection("article").references
    assert ref.copied_fields == ("tag_ids.label",)
    rows = {
        "article": [{"article_id": 1, "title": "t"}],
        "tag": [{"tag_id": 5, "label": "db"}],
        "article_tag": [{"article_id": 1, "tag_id": 5}],
    }
    docs = rows_to_documents(design, rows)
    assert docs["article"][0]["tag_ids"] == [{"tag_id": 5, "label": "db"}]
    assert documents_to_rows(design, docs) == rows


def test_many_to_many_side_read_together_with_few_links_is_embedded_unless_it_changes_often() -> None:
    # Issue 11 changed this: a large tag table, or one updated now and then, used to keep bare ids.
    # Read together (300/s) with at most 20 links per article, the tags' names are embedded in the
    # elements whatever the table's size; tags updated more often than they are read keep bare ids.
    _, _, design = design_for(ARTICLE_TAGS, _article_workload(1.0e6, tag_updates=False))
    (ref,) = design.collection("article").references
    assert ref.copied_fields == ("tag_ids.label",) and ref.style == "one-way"
    d = next(d for d in design.decisions if d.subject == "article_tag")
    assert dict(d.numbers)["left_copied_fields"] == "label" and "at most 20" in d.reason
    _, _, design = design_for(ARTICLE_TAGS, _article_workload(200, tag_updates=True, update_rate=1000))
    (ref,) = design.collection("article").references
    assert ref.copied_fields == () and ref.style == "one-way"
