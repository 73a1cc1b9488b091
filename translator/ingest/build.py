"""sqlglot ASTs -> table drafts: columns, keys, indexes, checks, comments, enums, foreign keys.

One handler per statement kind (`HANDLERS`), one per column constraint and table element class
(`columns.COLUMN_CONSTRAINTS`, `_TABLE_ELEMENTS`); `resolve.py` turns the drafts into the IR.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.generator import Generator

from translator.diagnostics import DiagnosticSink, excerpt
from translator.ingest.columns import COLUMN_CONSTRAINTS, set_sequence_default
from translator.ingest.model import ColumnDraft, ForeignKeyDraft, IndexDraft, TableDraft, fold
from translator.ingest.nodes import (
    KeyParts,
    column_names,
    key_parts,
    name_of,
    referential_actions,
    table_ref,
    written_type,
)
from translator.ingest.policies import RowSecurityDrafts, apply_row_security
from translator.ingest.recovery import UNNAMED
from translator.ingest.statements import Statement
from translator.typemap import TypeMapper
from translator.types import CanonicalType, TypeKind

__all__ = ["SchemaBuilder"]


class SchemaBuilder:
    """Accumulates drafts from statements of one or more files, in order."""

    def __init__(self, mapper: TypeMapper, dialect: str | None, sink: DiagnosticSink) -> None:
        self.mapper = mapper
        self.dialect = dialect
        self.sink = sink
        self.tables: list[TableDraft] = []
        self.foreign_keys: list[ForeignKeyDraft] = []
        self.enums: dict[str, tuple[str, ...]] = {}
        #: alias types (T-SQL `CREATE TYPE x FROM nvarchar(50)`, PostgreSQL domains): name -> base type
        self.aliases: dict[str, exp.DataType] = {}
        #: views seen (and skipped): an index or comment on one is not a loss
        self.views: set[str] = set()
        #: CREATE POLICY and ALTER TABLE ... ROW LEVEL SECURITY (translator/ingest/policies.py)
        self.row_security = RowSecurityDrafts()
        self._by_name: dict[str, list[TableDraft]] = {}
        self._generators: dict[str | None, Generator] = {}
        self.file = "<string>"

    # ------------------------------------------------------------------ lookup
    def find_table(self, ref: tuple[str | None, str]) -> TableDraft | None:
        """Exact (namespace, name) case-insensitively; else the only table of that bare name (`public.x` = `x`)."""
        namespace, name = ref
        by_name = self._by_name.get(fold(name), [])
        exact = [t for t in by_name if fold(t.namespace or "") == fold(namespace or "")]
        if exact:
            return exact[-1]
        return by_name[0] if len(by_name) == 1 else None

    def _register(self, table: TableDraft) -> None:
        self.tables.append(table)
        self._by_name.setdefault(fold(table.name), []).append(table)

    def _unregister(self, table: TableDraft) -> None:
        self.tables.remove(table)
        self._by_name[fold(table.name)].remove(table)

    def render(self, node: exp.Expr) -> str:
        """SQL text of `node` in the current dialect, through one generator per dialect (cheaper than `.sql()`)."""
        generator = self._generators.get(self.dialect)
        if generator is None:
            generator = self._generators[self.dialect] = Dialect.get_or_raise(self.dialect).generator()
        return generator.generate(node)

    def where(self, statement: Statement) -> dict:
        return {"file": self.file, "line": statement.line, "excerpt": excerpt(statement.text[:400])}  # a function body can be huge

    def add(self, statement: Statement) -> None:
        try:
            HANDLERS[statement.kind](self, statement)
        except RecursionError:  # rendering an expression sqlglot could only just parse
            self.sink.error("too-deep", f"could not read this {statement.kind} statement: nested too deeply to render",
                            lost="part of this statement", **self.where(statement))

    # ------------------------------------------------------------------ CREATE TABLE
    def create_table(self, statement: Statement) -> None:
        create = statement.expression
        if not isinstance(create, exp.Create) or create.kind not in ("TABLE", None):
            self.sink.error("unexpected-statement", "statement looked like CREATE TABLE but sqlglot read something else",
                            lost="the whole table", **self.where(statement))
            return
        schema = create.this
        namespace, name = table_ref(schema)
        table = TableDraft(name, namespace, self.file, statement.line)
        previous = self.find_table((namespace, name))
        if previous is not None and fold(previous.namespace or "") == fold(namespace or ""):
            # As after `DROP TABLE x; CREATE TABLE x`: the earlier definition goes with its foreign keys.
            dropped = [fk for fk in self.foreign_keys if fk.table is previous]
            self.foreign_keys = [fk for fk in self.foreign_keys if fk.table is not previous]
            self.sink.warning("duplicate-table", f"table {table.key} is defined again; this later definition is kept and "
                              f"the one at {previous.file}:{previous.line} is dropped"
                              + (f" with its {len(dropped)} foreign key(s)" if dropped else ""),
                              lost=f"the definition at {previous.file}:{previous.line}", **self.where(statement))
            self._unregister(previous)
        self._register(table)
        for element in (schema.expressions if isinstance(schema, exp.Schema) else ()):
            if isinstance(element, exp.ColumnDef):
                self.column(table, element, statement)
            elif isinstance(element, exp.Identifier):  # SQLite allows a bare column name with no type
                self.column(table, exp.ColumnDef(this=element), statement)
            elif isinstance(element, exp.LikeProperty):  # PostgreSQL `(LIKE other ...)`: its columns, here
                self.copy_from(table, table_ref(element.this), statement, keys=False)
            else:
                self.table_element(table, element, statement, None)
        properties = create.args.get("properties")
        for prop in (properties.expressions if properties else ()):
            if isinstance(prop, exp.PartitionedByProperty):
                table.partition_by = self.render(prop.this)
            elif isinstance(prop, exp.SchemaCommentProperty):
                table.comment = prop.this.name
            elif isinstance(prop, exp.PartitionedOfProperty):
                table.partition_of = table_ref(prop.this)
            elif isinstance(prop, exp.LikeProperty):  # MySQL `CREATE TABLE b LIKE a`: columns, keys and indexes
                self.copy_from(table, table_ref(prop.this), statement, keys=True)
            elif isinstance(prop, exp.InheritsProperty):  # PostgreSQL: parents' columns come first
                own, table.columns = table.columns, []
                for parent in prop.expressions:
                    self.copy_from(table, table_ref(parent), statement, keys=False)
                table.columns.extend(own)
        if create.args.get("expression") is not None and not table.columns:
            self.sink.warning("create-table-as", f"CREATE TABLE {table.key} AS SELECT: columns come from a query and are not known",
                              lost="the column list", **self.where(statement))
        elif not table.columns and table.partition_of is None:
            self.sink.warning("no-columns", f"CREATE TABLE {table.key} declares no columns sqlglot could read (LIKE, INHERITS, ...)",
                              lost="the column list", **self.where(statement))

    def column(self, table: TableDraft, node: exp.ColumnDef, statement: Statement) -> None:
        name = node.name
        datatype = node.args.get("kind")
        column = ColumnDraft(name, CanonicalType(TypeKind.OTHER, name="untyped"))
        if datatype is None:
            computed = any(isinstance(c.args.get("kind"), exp.ComputedColumnConstraint) for c in node.args.get("constraints") or ())
            why = "a computed column without a declared type" if computed else "no declared type"
            self.sink.info("untyped-column", f"column {table.key}.{name}: {why}; kept as 'other'", **self.where(statement))
        else:
            self.set_type(column, datatype, table, statement)
            written = self.written_type(node, statement)
            if written:
                column.type = column.type.with_source(written)
        table.columns.append(column)
        for constraint in node.args.get("constraints") or ():
            kind = constraint.args.get("kind")
            handler = COLUMN_CONSTRAINTS.get(type(kind))
            if handler is not None:
                handler(self, table, column, kind, statement, name_of(constraint.this))
        if self.dialect == "mysql" and column.default is not None:
            column.default = _mysql_stored_default(column, column.default)

    def copy_from(self, table: TableDraft, ref: tuple[str | None, str], statement: Statement, *, keys: bool) -> None:
        source = self.find_table(ref)
        if source is None:
            self.sink.warning("unknown-table", f"{table.key} copies the columns of {'.'.join(p for p in ref if p)}, which is "
                              "not created before it in the input", lost="those columns", **self.where(statement))
            return
        table.columns.extend(replace(c) for c in source.columns)
        if keys:
            table.primary_key = table.primary_key or source.primary_key
            table.unique_keys.extend(k for k in source.unique_keys if k not in table.unique_keys)
            table.indexes.extend(source.indexes)
            table.expression_parts |= source.expression_parts
            table.key_origins = {**source.key_origins, **table.key_origins}

    @staticmethod
    def written_type(node: exp.ColumnDef, statement: Statement) -> str | None:
        end = node.this.meta.get("end") if isinstance(node.this, exp.Identifier) else None
        if statement.parsed is None or end is None:
            return None
        position = end + 1 - statement.offset
        if not 0 <= position <= len(statement.parsed):
            return None
        return written_type(statement.parsed, position)

    def set_type(self, column: ColumnDraft, datatype: exp.DataType, table: TableDraft, statement: Statement) -> None:
        if datatype.this is exp.DataType.Type.USERDEFINED:
            type_name = str(datatype.args.get("kind") or "")
            bare = fold(type_name.split(".")[-1].strip('"[]`'))
            values = self.enums.get(bare)
            if values is not None:
                column.type = CanonicalType(TypeKind.ENUM, values=values, name=type_name, source=type_name)
                return
            if bare in self.aliases:
                mapped = self.mapper.map_full(self.aliases[bare], self.dialect)
                column.type, column.identity = mapped.type.with_source(type_name), column.identity or mapped.identity
                return
        mapped = self.mapper.map_full(datatype, self.dialect)
        column.type, column.identity = mapped.type, column.identity or mapped.identity
        if mapped.warning:
            self.sink.warning("unknown-type", f"column {table.key}.{column.name}: {mapped.warning}",
                              subject=f"{table.key}.{column.name}", **self.where(statement))

    # ------------------------------------------------------------------ table-level elements
    def table_element(self, table: TableDraft, node: exp.Expr, statement: Statement, name: str | None) -> None:
        handler = _TABLE_ELEMENTS.get(type(node))
        if handler is not None:
            handler(self, table, node, statement, name)
        elif not isinstance(node, (exp.ClusteredColumnConstraint, exp.NonClusteredColumnConstraint)):
            self.sink.info("ignored-clause", f"{type(node).__name__} clause of {table.key} (storage or engine detail) is not "
                           "part of the schema model", **self.where(statement))

    def constraint(self, table: TableDraft, node: exp.Constraint, statement: Statement, _: str | None) -> None:
        name = name_of(node.this)
        # Recovery names a bare `ADD CHECK` UNNAMED so sqlglot can parse it; every such statement reaches the
        # handlers through here, so this is the one place that turns it back into "no name".
        name = None if name == UNNAMED else name
        parts = node.expressions
        clustered = [p for p in parts if isinstance(p, (exp.ClusteredColumnConstraint, exp.NonClusteredColumnConstraint))]
        for part in parts:
            if clustered and isinstance(part, (exp.PrimaryKeyColumnConstraint, exp.UniqueColumnConstraint)) and not part.this:
                # T-SQL `PRIMARY KEY CLUSTERED (a, b)`: sqlglot hangs the columns on the CLUSTERED node.
                columns = column_names(clustered[0].this if isinstance(clustered[0].this, list) else [clustered[0].this])
                self.key(table, columns, isinstance(part, exp.PrimaryKeyColumnConstraint), statement)
            else:
                self.table_element(table, part, statement, name)

    def key(self, table: TableDraft, columns: tuple[str, ...], primary: bool, statement: Statement) -> None:
        if not columns:
            return
        table.key_origins[columns] = (self.file, statement.line)
        if primary:
            if table.primary_key and tuple(map(fold, table.primary_key)) != tuple(map(fold, columns)):
                self.sink.warning("second-primary-key", f"{table.key} gets a second primary key; the later one wins",
                                  **self.where(statement))
            table.primary_key = columns
        elif tuple(map(fold, columns)) not in {tuple(map(fold, k)) for k in table.unique_keys}:
            table.unique_keys.append(columns)

    def primary_key(self, table, node, statement, _name_):
        self.key(table, column_names(node.expressions), True, statement)

    def unique(self, table, node, statement, name):
        parts = self.key_parts([node.this] if node.this else node.expressions)
        if parts.has_prefix:
            # MySQL `UNIQUE (uri(190))` makes only the first 190 characters unique: an index, not a candidate key.
            schema = node.this if isinstance(node.this, exp.Schema) else None
            self.index(table, IndexDraft(name or (name_of(schema.this) if schema is not None else None), parts.columns,
                                         True, prefix_lengths=parts.prefix_lengths), statement, parts)
            return
        self.key(table, parts.columns, False, statement)

    def key_parts(self, nodes) -> KeyParts:
        return key_parts(nodes, prefix_calls=self.dialect == "mysql")

    def index(self, table: TableDraft, index: IndexDraft, statement: Statement, parts: KeyParts) -> None:
        table.indexes.append(replace(index, file=self.file, line=statement.line))
        table.expression_parts |= parts.expressions

    def foreign_key(self, table, node: exp.ForeignKey, statement, name):
        reference = node.args.get("reference")
        if reference is None:
            return
        self.reference(table, column_names(node.expressions), reference, statement, name)

    def reference(self, table, columns, reference: exp.Reference, statement, name):
        target = reference.this
        target_columns = column_names(target.expressions) if isinstance(target, exp.Schema) else ()
        on_delete, on_update = referential_actions(reference.args.get("options"))
        self.foreign_keys.append(ForeignKeyDraft(
            name, table, columns, table_ref(target), target_columns or None,
            on_delete, on_update, self.file, statement.line, self.dialect))

    def check(self, table, node, statement, name):
        table.checks.append((name, self.render(node.this)))

    def inline_index(self, table, node: exp.IndexColumnConstraint, statement, _name_):
        kind = (node.args.get("kind") or "").upper()
        parts = self.key_parts(node.expressions)
        self.index(table, IndexDraft(name_of(node.this), parts.columns, kind == "UNIQUE", None, kind or None,
                                     parts.prefix_lengths if parts.has_prefix else ()), statement, parts)

    # ------------------------------------------------------------------ other statements
    def alter_table(self, statement: Statement) -> None:
        alter = statement.expression
        actions = list(alter.args.get("actions") or ()) if isinstance(alter, exp.Alter) else []
        # Oracle's `ADD ( CONSTRAINT ..., CONSTRAINT ... )` arrives as one Schema holding the elements.
        actions = [part for action in actions for part in (action.expressions if isinstance(action, exp.Schema) else [action])]
        relevant = [a for a in actions if isinstance(a, _ALTER_ACTIONS)]
        if not relevant:
            self.sink.info("ignored-alter", "ALTER TABLE does not change the schema model (no ADD or ALTER COLUMN)",
                           **self.where(statement))
            return
        table = self.find_table(table_ref(alter.this))
        if table is None and alter.args.get("exists"):
            self.sink.info("ignored-alter", "ALTER TABLE IF EXISTS on a table not created in the input", **self.where(statement))
            return
        if table is None:
            self.sink.warning("unknown-table", "ALTER TABLE names a table not created in the input", lost="this ALTER TABLE",
                              **self.where(statement))
            return
        for action in actions:
            if isinstance(action, exp.AddConstraint):
                for part in action.expressions:
                    self.table_element(table, part, statement, None)
            elif isinstance(action, exp.ColumnDef):
                self.column(table, action, statement)
            elif isinstance(action, exp.AlterColumn):
                self.alter_column(table, action, statement)
            elif isinstance(action, _ALTER_ACTIONS):
                self.table_element(table, action, statement, None)
            else:
                self.sink.info("ignored-alter", f"ALTER TABLE {table.key} action {type(action).__name__} does not change the schema model",
                               **self.where(statement))

    def alter_column(self, table: TableDraft, action: exp.AlterColumn, statement: Statement) -> None:
        column = table.column(action.name)
        if column is None:
            self.sink.warning("unknown-column", f"ALTER COLUMN names {table.key}.{action.name}, which does not exist",
                              **self.where(statement))
            return
        if action.args.get("default") is not None:
            column.default = self.render(action.args["default"])
            set_sequence_default(column)
        if action.args.get("dtype") is not None:
            self.set_type(column, action.args["dtype"], table, statement)
        if action.args.get("allow_null") is not None:
            column.nullable = bool(action.args["allow_null"])

    def create_index(self, statement: Statement) -> None:
        create = statement.expression
        index = create.this
        if not isinstance(index, exp.Index):
            return
        table = self.find_table(table_ref(index.args["table"])) if index.args.get("table") else None
        if table is None:
            if fold(index.args["table"].name) in self.views:
                self.sink.info("skipped-statement", "skipped CREATE INDEX on a view", subject="index", **self.where(statement))
            else:
                self.sink.warning("unknown-table", "CREATE INDEX on a table not created in the input", lost="this index",
                                  **self.where(statement))
            return
        params = index.args.get("params")
        parts = self.key_parts(params.args.get("columns") if params else ())
        where = params.args.get("where") if params else None
        using = params.args.get("using") if params else None
        predicate = self.render(where.this) if where is not None else None
        self.index(table, IndexDraft(name_of(index.this), parts.columns, bool(create.args.get("unique")), predicate,
                                     using.name.lower() if using is not None else None,
                                     parts.prefix_lengths if parts.has_prefix else ()), statement, parts)

    def create_type(self, statement: Statement) -> None:
        create = statement.expression
        datatype = create.args.get("expression")
        if isinstance(datatype, exp.DataType) and datatype.this is exp.DataType.Type.ENUM:
            values = tuple(e.name for e in datatype.expressions)
            self.enums[fold(create.this.name)] = values
            for table in self.tables:  # a type created after tables that use it (rare, but legal in dumps)
                for column in table.columns:
                    if column.type.kind is TypeKind.OTHER and fold(str(column.type.name).split(".")[-1].strip('"')) == fold(create.this.name):
                        column.type = CanonicalType(TypeKind.ENUM, values=values, name=create.this.name, source=column.type.source)
        elif isinstance(datatype, exp.DataType):
            self.aliases[fold(create.this.name)] = datatype
        else:
            self.sink.info("skipped-statement", "skipped CREATE TYPE that is not an enum or alias (composite or range types are not modelled)",
                           subject="type", **self.where(statement))

    def comment(self, statement: Statement) -> None:
        node = statement.expression
        text = node.expression.name if node.expression is not None else None
        kind = (node.args.get("kind") or "").upper()
        target = node.this
        if kind == "TABLE":
            table = self.find_table(table_ref(target))
            if table is not None:
                table.comment = text
                return
        elif kind == "COLUMN" and isinstance(target, exp.Column):
            db = target.args.get("db")
            table = self.find_table((db.name if db else None, target.table))
            column = table.column(target.name) if table is not None else None
            if column is not None:
                column.comment = text
                return
        else:
            self.sink.info("skipped-statement", f"skipped COMMENT ON {kind}: not part of the schema model", subject="comment",
                           **self.where(statement))
            return
        self.sink.info("skipped-statement", f"skipped COMMENT ON {kind} for something not modelled (a view, or not created here)",
                       subject="comment", **self.where(statement))



#: a number written as a string (`DEFAULT '0'`)
_QUOTED_NUMBER = re.compile(r"^'(-?\d+(?:\.\d+)?)'$")
_NUMERIC_KINDS = frozenset({TypeKind.INTEGER, TypeKind.DECIMAL, TypeKind.FLOAT, TypeKind.BOOLEAN})


def _mysql_stored_default(column: ColumnDraft, default: str) -> str:
    """The default as MySQL stores it (and its catalog reports it): `'0'` on a number column is the number 0,
    and a boolean (tinyint(1)) default 1/0 is TRUE/FALSE, as the live reader spells it."""
    if column.type.kind in _NUMERIC_KINDS and (quoted := _QUOTED_NUMBER.match(default)) is not None:
        default = quoted[1]
    if column.type.kind is TypeKind.BOOLEAN and default in ("0", "1"):
        default = "TRUE" if default == "1" else "FALSE"
    return default


_ALTER_ACTIONS = (exp.AddConstraint, exp.ColumnDef, exp.AlterColumn, exp.Constraint, exp.ForeignKey, exp.PrimaryKey,
                  exp.UniqueColumnConstraint, exp.CheckColumnConstraint, exp.Check, exp.PrimaryKeyColumnConstraint)

_TABLE_ELEMENTS: dict[type, Callable] = {
    exp.Constraint: SchemaBuilder.constraint,
    exp.PrimaryKey: SchemaBuilder.primary_key,
    exp.PrimaryKeyColumnConstraint: SchemaBuilder.primary_key,
    exp.UniqueColumnConstraint: SchemaBuilder.unique,
    exp.ForeignKey: SchemaBuilder.foreign_key,
    exp.CheckColumnConstraint: SchemaBuilder.check,
    exp.Check: SchemaBuilder.check,
    exp.IndexColumnConstraint: SchemaBuilder.inline_index,
}

HANDLERS: dict[str, Callable[[SchemaBuilder, Statement], None]] = {
    "table": SchemaBuilder.create_table,
    "alter": SchemaBuilder.alter_table,
    "index": SchemaBuilder.create_index,
    "type": SchemaBuilder.create_type,
    "comment": SchemaBuilder.comment,
    "policy": apply_row_security,
}
