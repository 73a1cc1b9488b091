"""Row-level-security policy expressions: one normal text form, and the columns compared with session values.

A policy's `USING (...)` is written one way in DDL and printed another way by PostgreSQL's catalog
(`pg_get_expr` adds parentheses and `::text` casts: `(tenant_id = (current_setting('app.tenant_id'::text))::uuid)`).
`normalize_expression` reads either with sqlglot and prints one form, so a schema read from DDL and the
same schema read live hold equal policies. Both ingest and introspection use it; it imports no IR.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

__all__ = ["normalize_expression", "SessionComparison", "session_comparisons"]

_DIALECT = "postgres"
#: session values that are not function calls in sqlglot's tree
_SESSION_NODES = (exp.CurrentUser, exp.CurrentRole) if hasattr(exp, "CurrentRole") else (exp.CurrentUser,)


def _parse(text: str) -> exp.Expr | None:
    logger = logging.getLogger("sqlglot")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        tree = sqlglot.parse_one(text, read=_DIALECT)
    except (ParseError, TokenError, ValueError):
        return None
    finally:
        logger.setLevel(level)
    return None if tree is None or isinstance(tree, exp.Command) else tree


def _redundant(paren: exp.Paren) -> bool:
    """Parentheses that precedence does not need (the generator does not add any back, so keep the rest)."""
    inner, outer = paren.this, paren.parent
    if outer is None or isinstance(outer, exp.Where) or not isinstance(inner, (exp.Binary, exp.Not)):
        return not isinstance(inner, exp.Select)  # around one operand, or around the whole expression
    if isinstance(inner, exp.Connector):  # AND binds tighter than OR
        return isinstance(inner, exp.And) and isinstance(outer, exp.Or) or type(inner) is type(outer)
    comparison = isinstance(inner, exp.Predicate) or isinstance(inner, exp.Not)
    return comparison and isinstance(outer, (exp.Connector, exp.Not))


def _normal(tree: exp.Expr) -> exp.Expr:
    def fix(node: exp.Expr) -> exp.Expr:
        # 'x'::text is how the catalog prints a string literal; it is the literal.
        if (
            isinstance(node, exp.Cast)
            and isinstance(node.this, exp.Literal)
            and node.this.is_string
            and node.to.is_type("text", "varchar")
        ):
            return node.this.copy()
        if isinstance(node, exp.Paren) and _redundant(node):
            return node.this.copy()
        if isinstance(node, exp.Identifier) and not node.quoted:
            return exp.Identifier(this=node.this.lower(), quoted=False)
        if isinstance(node, exp.Anonymous) and isinstance(node.this, str):
            node.set("this", node.this.lower())  # in place: a replaced node's arguments are not visited
            return node
        return node

    previous = None
    tree = tree.copy()
    while previous != tree.sql(dialect=_DIALECT):  # Paren(Paren(x)) needs more than one pass
        previous = tree.sql(dialect=_DIALECT)
        tree = tree.transform(fix)
    return tree


def normalize_expression(text: str) -> str | None:
    """The normal form of a policy expression, or None when sqlglot cannot read it."""
    tree = _parse(text)
    return None if tree is None else _normal(tree).sql(dialect=_DIALECT)


@dataclass(frozen=True, slots=True)
class SessionComparison:
    """`column = <session value>`: the column, and the session value as text (`current_setting('app.tenant_id')`)."""

    column: str
    value: str
    setting: str | None  # the setting's name when the value reads one (`app.tenant_id`)


def _strip_casts(node: exp.Expr) -> exp.Expr:
    while isinstance(node, (exp.Cast, exp.Paren)):
        node = node.this
    return node


def _session_value(node: exp.Expr) -> tuple[bool, str | None]:
    """(is a session value, the setting it reads): a function call or session keyword with no column in it."""
    node = _strip_casts(node)
    if isinstance(node, _SESSION_NODES):
        return True, None
    if (
        isinstance(node, exp.Func)
        and not isinstance(node, (exp.Binary, exp.Select))
        and not list(node.find_all(exp.Column))
    ):
        literal = next((a for a in node.find_all(exp.Literal) if a.is_string), None)
        return True, literal.this if literal is not None else None
    return False, None


def session_comparisons(text: str | None) -> list[SessionComparison] | None:
    """Every `column = session value` in a policy expression (either side; the column may be cast or sit in
    an expression of that one column, such as `'tenant_' || tenant_id::text`); None if unreadable."""
    if text is None:
        return []
    tree = _parse(text)
    if tree is None:
        return None
    tree = _normal(tree)
    out = []
    for eq in tree.find_all(exp.EQ, bfs=False):  # in the order written
        if eq.find_ancestor(exp.Select) is not None:  # a column of another table, inside a sub-query
            continue
        for side, other in ((eq.this, eq.expression), (eq.expression, eq.this)):
            is_session, setting = _session_value(other)
            if not is_session:
                continue
            # `tenant_id = ...`, `tenant_id::text = ...`, or the column inside an expression of one column
            # (`current_user = 'tenant_' || tenant_id::text`, the Citus documentation's form)
            columns = list(_strip_casts(side).find_all(exp.Column))
            if len(columns) == 1 and not _session_value(side)[0]:
                out.append(SessionComparison(columns[0].name, _strip_casts(other).sql(dialect=_DIALECT), setting))
    return out
