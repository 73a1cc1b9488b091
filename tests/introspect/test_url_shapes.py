"""Issue 12: odd URL shapes are one-line usage errors (exit 2), and no form of a password is ever echoed."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from translator.cli import main
from translator.errors import SourceError
from translator.introspect.url import parse_url

SECRET = "s3cret-pw"

BAD_SOURCES = [
    f"postgresql://u:{SECRET}@127.0.0.1/db?password=a&password=b",
    f"postgresql://u@127.0.0.1/db?password={SECRET}&password={SECRET}x",
    f"postgresql://u:{SECRET}@127.0.0.1/db?options=-c%20a%3D1&options=-c%20b%3D2",
    f"postgresql://u:{SECRET}@127.0.0.1/db?password={SECRET}",
    f"postgresql://u:{SECRET}@[::1/db",
    f"mysql://u:{SECRET}@[zz::1]:3306/db",
    f"postgresql://u:{SECRET}@127.0.0.1:99999/db",
    f"oracle://u:{SECRET}@db.example/orcl",
    f"sqlite://u:{SECRET}@/tmp/x.db",
    f"u:{SECRET}@db.example/app",
    f"postgresql://postgres:{SECRET}@127.0.0.1/db?connect_timeout=1",
]


@pytest.mark.parametrize("source", BAD_SOURCES)
def test_inspect_refuses_in_one_line_without_the_password(source):
    result = CliRunner().invoke(main, ["inspect", source])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("polyschema: error: "), result.output
    assert SECRET not in result.output and "Traceback" not in result.output


BAD_URIS = [
    f"mongodb://u:{SECRET}@[::1",
    f"mongodb://u:{SECRET}@h:notaport/",
    f"mongodb://u:{SECRET}@h/?w=1&w=2",
    f"mongodb://u:{SECRET}@/x",
    f"u:{SECRET}@h",
    f"mongodb+srv://u:{SECRET}@[zz]/",
]


@pytest.mark.parametrize("uri", BAD_URIS)
def test_apply_refuses_a_malformed_uri_in_one_line_without_the_password(uri, tmp_path):
    ddl = tmp_path / "a.sql"
    ddl.write_text("CREATE TABLE a (id INT PRIMARY KEY);\n")
    result = CliRunner().invoke(main, ["apply", "--to", "mongodb", uri, str(ddl), "--dialect", "postgres"])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("polyschema: error: URI "), result.output
    assert SECRET not in result.output


def test_a_host_list_uri_is_not_refused_by_the_shape_check(tmp_path):
    ddl = tmp_path / "a.sql"
    ddl.write_text("CREATE TABLE a (id INT PRIMARY KEY);\n")
    result = CliRunner().invoke(
        main, ["apply", "--to", "mongodb", "mongodb://a:1,b/", str(ddl), "--dialect", "postgres", "--dry-run"]
    )
    assert result.exit_code == 0, result.output


def test_password_as_a_query_option_is_the_password():
    params = parse_url(f"postgresql://u@h/db?password={SECRET}&sslmode=require")
    assert params.password == SECRET and params.options == (("sslmode", "require"),)
    assert SECRET not in params.masked() and SECRET not in repr(params)


def test_library_errors_name_the_url_masked():
    with pytest.raises(SourceError) as caught:
        parse_url(f"postgresql://u:{SECRET}@[::1/db")
    assert SECRET not in str(caught.value) and "u:***@" in str(caught.value)
