"""Column constraints -> column drafts: one handler per sqlglot constraint class (`COLUMN_CONSTRAINTS`).

Each handler gets the builder (for keys and references, which live on the table), the table and column
drafts, the constraint node, the statement and the constraint's name (`CONSTRAINT x ...`) if any.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

__all__ = ["COLUMN_CONSTRAINTS", "set_sequence_default"]


def _not_null(builder, table, column, kind, statement, name):
    column.nullable = bool(kind.args.get("allow_null"))


def _default(builder, table, column, kind, statement, name):
    # `DEFAULT NULL` is no default at all, and catalogs report it so
    column.default = builder.render(kind.this) if kind.this is not None and not isinstance(kind.this, exp.Null) else None
    set_sequence_default(column)


def set_sequence_default(column) -> None:
    """A default drawn from a sequence (`nextval('t_id_seq')`) makes an identity column, with no default of its
    own: what a serial column is, and how the live reader reports it."""
    if "nextval(" in (column.default or "").lower():
        column.identity, column.default = True, None


def _identity(builder, table, column, kind, statement, name):
    if kind.args.get("expression") is not None:
        column.generated = builder.render(kind.args["expression"])
    else:
        column.identity = True


def _computed(builder, table, column, kind, statement, name):
    column.generated = builder.render(kind.this)


def _auto_increment(builder, table, column, kind, statement, name):
    column.identity = True


def _comment(builder, table, column, kind, statement, name):
    column.comment = kind.this.name


def _column_pk(builder, table, column, kind, statement, name):
    builder.key(table, (column.name,), True, statement)
    column.nullable = False


def _column_unique(builder, table, column, kind, statement, name):
    builder.key(table, (column.name,), False, statement)


def _column_reference(builder, table, column, kind, statement, name):
    builder.reference(table, (column.name,), kind, statement, name)


def _column_check(builder, table, column, kind, statement, name):
    table.checks.append((name, builder.render(kind.this)))


COLUMN_CONSTRAINTS: dict[type, Callable] = {
    exp.NotNullColumnConstraint: _not_null,
    exp.DefaultColumnConstraint: _default,
    exp.GeneratedAsIdentityColumnConstraint: _identity,
    exp.ComputedColumnConstraint: _computed,
    exp.AutoIncrementColumnConstraint: _auto_increment,
    exp.CommentColumnConstraint: _comment,
    exp.PrimaryKeyColumnConstraint: _column_pk,
    exp.UniqueColumnConstraint: _column_unique,
    exp.Reference: _column_reference,
    exp.CheckColumnConstraint: _column_check,
}
