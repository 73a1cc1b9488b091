"""PostgreSQL row-level security from the catalog: `pg_policy` and `pg_class.relrowsecurity/relforcerowsecurity`.

The expressions come from `pg_get_expr` and are put in the normal form of `translator.policy_expr`, the
same form DDL ingest gives, so a schema read live and the DDL that created it hold equal policies.
"""

from __future__ import annotations

from typing import Any

from translator.diagnostics import DiagnosticSink
from translator.ir import Policy
from translator.policy_expr import normalize_expression

__all__ = ["read_row_security"]

_FLAGS = "SELECT c.oid, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c WHERE c.oid = ANY(%s)"
_POLICIES = """
SELECT pol.polrelid, pol.polname, pol.polcmd, pol.polpermissive,
       ARRAY(SELECT CASE WHEN r = 0 THEN 'public' ELSE pg_get_userbyid(r) END FROM unnest(pol.polroles) AS r),
       pg_get_expr(pol.polqual, pol.polrelid), pg_get_expr(pol.polwithcheck, pol.polrelid)
FROM pg_policy pol WHERE pol.polrelid = ANY(%s)
ORDER BY pol.polrelid, pol.oid"""
_COMMANDS = {"*": "all", "r": "select", "a": "insert", "w": "update", "d": "delete"}


def read_row_security(
    conn: Any, keys: dict[int, str], sink: DiagnosticSink
) -> tuple[dict[str, tuple[bool, bool]], tuple[Policy, ...]]:
    """({entity key: (row security enabled, forced)}, policies) of the tables `keys` maps oid -> entity key."""
    oids = list(keys)
    flags = {keys[oid]: (bool(enabled), bool(forced)) for oid, enabled, forced in conn.execute(_FLAGS, (oids,))}
    policies = []
    for relid, name, command, permissive, roles, using, check in conn.execute(_POLICIES, (oids,)):
        policies.append(
            Policy(
                name,
                keys[relid],
                _COMMANDS.get(command, str(command)),
                bool(permissive),
                tuple(sorted(set(roles))),
                _expression(using, name, "USING", keys[relid], sink),
                _expression(check, name, "WITH CHECK", keys[relid], sink),
            )
        )
    return flags, tuple(policies)


def _expression(text: str | None, policy: str, clause: str, table: str, sink: DiagnosticSink) -> str | None:
    if text is None:
        return None
    normal = normalize_expression(text)
    if normal is not None:
        return normal
    sink.warning(
        "unreadable-policy-expression",
        f"policy {policy!r} on {table}: the {clause} expression could not be "
        "read; it is kept as written and no tenant column is taken from it",
        subject=policy,
    )
    return text
