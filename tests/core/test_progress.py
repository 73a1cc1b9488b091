"""Long commands show one progress line on a terminal and nothing extra in a pipe (translate, verify, plan)."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys

import pytest

from tests.conftest import SAMPLES

COMMANDS = {
    "translate": ["translate", str(SAMPLES / "ecommerce.sql"), "--to", "cassandra"],
    "verify": [
        "verify",
        "--to",
        "dynamodb",
        str(SAMPLES / "ecommerce.sql"),
        "--workload",
        str(SAMPLES / "ecommerce.workload.yaml"),
    ],
}


def _run(args: list[str], stderr_tty: bool) -> tuple[int, str, bytes]:
    command = [sys.executable, "-c", "from translator.cli import main; main()", *args]
    if not stderr_tty:
        done = subprocess.run(command, capture_output=True, timeout=300)
        return done.returncode, done.stdout.decode(), done.stderr
    master, slave = pty.openpty()
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=slave)
        os.close(slave)
        chunks = []
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        out = process.stdout.read().decode() if process.stdout else ""
        return process.wait(timeout=300), out, b"".join(chunks)
    finally:
        os.close(master)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_terminal_sees_the_stages_and_a_pipe_sees_nothing_extra(name: str) -> None:
    code, piped_out, piped_err = _run(COMMANDS[name], stderr_tty=False)
    assert code in (0, 1) and piped_err == b"", piped_err[-500:]
    code, tty_out, tty_err = _run(COMMANDS[name], stderr_tty=True)
    assert code in (0, 1)
    assert b"\r[" in tty_err and b"designing for" in tty_err, tty_err[-500:]
    # the result itself never carries the progress line (verify's moto endpoint gets a new port each run)
    assert re.sub(r":\d+\b", ":PORT", tty_out) == re.sub(r":\d+\b", ":PORT", piped_out)
