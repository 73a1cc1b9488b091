"""One moto DynamoDB server for the whole DynamoDB test session (starting one costs ~2 s)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def moto_endpoint() -> str:
    from translator.targets.dynamodb.verify import local_endpoint

    with local_endpoint() as url:
        yield url


@pytest.fixture(scope="session")
def ddb(moto_endpoint):
    from translator.targets.dynamodb.verify import dynamodb_client

    return dynamodb_client(moto_endpoint)
