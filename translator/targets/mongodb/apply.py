"""Apply a design to a MongoDB server with pymongo: collections with validators, indexes, sharding.

`plan_commands` lists the command documents in order (what `apply --dry-run` and the mongosh script
show); `apply_design` sends the same through pymongo's `create_collection`, `create_index` and admin
commands. Not tested against a live server here: the tests check the commands with a recording client.
"""

from __future__ import annotations

from typing import Any

from translator.errors import ConnectionProblem, PolyschemaError
from translator.targets.mongodb.model import MongoDesign
from translator.urls import mask_credentials

__all__ = ["ApplyError", "plan_commands", "apply_design"]


class ApplyError(PolyschemaError):
    """The server refused a command (e.g. the collection already exists); names the step and the reason."""


def plan_commands(design: MongoDesign) -> list[dict[str, Any]]:
    """[{"description", "admin", "command"}]: the MongoDB commands creating this design, in order."""
    options = dict(design.options)
    db = options.get("database", "polyschema")
    out: list[dict[str, Any]] = []
    for c in design.collections:
        out.append(
            {
                "description": f"collection {c.name} with its $jsonSchema validator",
                "admin": False,
                "command": {
                    "create": c.name,
                    "validator": c.validator,
                    "validationLevel": "strict",
                    "validationAction": "error",
                },
            }
        )
        if c.indexes:
            indexes = []
            for i in c.indexes:
                spec: dict[str, Any] = {"key": dict(i.keys), "name": i.name}
                if i.unique:
                    spec["unique"] = True
                if i.partial_filter:
                    spec["partialFilterExpression"] = dict(i.partial_filter)
                indexes.append(spec)
            out.append(
                {
                    "description": f"indexes of {c.name}",
                    "admin": False,
                    "command": {"createIndexes": c.name, "indexes": indexes},
                }
            )
    if options.get("shard_collections"):
        out.append({"description": f"enable sharding of {db}", "admin": True, "command": {"enableSharding": db}})
        for c in design.collections:
            if c.shard_key_candidates:
                best = c.shard_key_candidates[0]
                out.append(
                    {
                        "description": f"shard {c.name} ({best.reason})",
                        "admin": True,
                        "command": {"shardCollection": f"{db}.{c.name}", "key": dict(best.keys)},
                    }
                )
    return out


def apply_design(design: MongoDesign, uri: str, *, client: Any = None) -> list[str]:
    """Send `plan_commands(design)` through pymongo; `client` replaces MongoClient(uri) (tests record calls)."""
    import pymongo
    from pymongo.errors import ConnectionFailure, PyMongoError

    if not isinstance(uri, str) or not uri.startswith(("mongodb://", "mongodb+srv://")):
        shown = mask_credentials(uri) if isinstance(uri, str) else type(uri).__name__
        raise ConnectionProblem(f"uri={shown!r} is not a MongoDB connection string; pass mongodb://host:port/")
    own = client is None
    if own:
        client = pymongo.MongoClient(uri, serverSelectionTimeoutMS=5000)
    db_name = dict(design.options).get("database", "polyschema")
    db = client[db_name]
    log = []
    try:
        for step in plan_commands(design):
            command = step["command"]
            if "create" in command:
                db.create_collection(
                    command["create"],
                    validator=command["validator"],
                    validationLevel=command["validationLevel"],
                    validationAction=command["validationAction"],
                )
            elif "createIndexes" in command:
                collection = db[command["createIndexes"]]
                for spec in command["indexes"]:
                    extra = {k: v for k, v in spec.items() if k in ("unique", "partialFilterExpression")}
                    collection.create_index(list(spec["key"].items()), name=spec["name"], **extra)
            else:
                client.admin.command(command)
            log.append(step["description"])
    except PyMongoError as exc:
        where = uri.split("@")[-1]  # never echo credentials
        problem = ConnectionProblem if isinstance(exc, ConnectionFailure) else ApplyError
        raise problem(
            f"MongoDB at {where}: {step['description']} failed after {len(log)} step(s): "
            f"{str(exc).splitlines()[0][:200]}"
        ) from None
    finally:
        if own:
            client.close()
    return log
