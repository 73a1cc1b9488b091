"""Issue 15 acceptance: with a known tenant, every target's chosen keys lead with the tenant column."""

from __future__ import annotations

import pytest

from tests.conftest import SAMPLES
from translator.sources import load_schema
from translator.targets import get_target, target_names
from translator.tenancy import resolve_tenancy
from translator.workload import load_workload

MULTI_TENANT = ("saas", "citus_adtech")


@pytest.fixture(scope="module", params=MULTI_TENANT)
def sample(request):
    schema = load_schema([str(SAMPLES / f"{request.param}.sql")])
    workload = load_workload(str(SAMPLES / f"{request.param}.workload.yaml"), schema)
    return schema, workload, resolve_tenancy(schema, workload)


@pytest.mark.parametrize("name", target_names())
def test_every_chosen_key_of_a_tenant_scoped_entity_leads_with_the_tenant(name: str, sample) -> None:
    schema, workload, tenancy = sample
    assert tenancy.known and all(c.source == "policy" for c in tenancy.columns)
    target = get_target(name)
    chosen = [k for k in target.key_candidates(target.design(schema, workload)) if k.rank == 0]
    scoped = [k for k in chosen if tenancy.column(k.entity) is not None]
    assert scoped, chosen
    for key in scoped:
        assert key.fields[0] == tenancy.column(key.entity).attribute, key


def test_dynamodb_partition_keys_start_with_the_tenant_prefix_in_the_table_and_every_gsi(sample) -> None:
    schema, workload, tenancy = sample
    design = get_target("dynamodb").design(schema, workload).to_dict()
    for entity in design["entities"]:
        if tenancy.column(entity["name"]) is None or entity["name"] == tenancy.root:
            continue
        partition_keys = [v for k, v in entity["keys"].items() if k == "PK" or k.endswith("PK")]
        assert partition_keys and all(v.startswith("TENANT#") for v in partition_keys), entity
