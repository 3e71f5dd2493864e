"""Types as a user's type checker sees them: `mypy --strict` on a user script
(tests/typing/user_script.py), with every `reveal_type` pinned by its
`# R:` comment (module paths dropped)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parent / "typing" / "user_script.py"
_QUALIFIED = re.compile(r"\b(?:[A-Za-z_]\w*\.)+([A-Za-z_]\w*)")


def _mypy(*args):
    pytest.importorskip("mypy")
    if os.environ.get("ACCORD_PY_ENV") == "oldest":
        pytest.skip("the stubs are the same in both environments: checked in newest")
    return subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental",
                           "--cache-dir=/dev/null", *args],
                          capture_output=True, text=True, cwd=SCRIPT.parents[2], timeout=600)


def test_user_script_passes_strict_and_reveals_the_pinned_types():
    r = _mypy(str(SCRIPT))
    assert r.returncode == 0, r.stdout + r.stderr
    revealed = {}
    for line in r.stdout.splitlines():
        m = re.match(r".*user_script\.py:(\d+): note: Revealed type is \"(.*)\"$", line)
        if m:
            revealed[int(m.group(1))] = _QUALIFIED.sub(r"\1", m.group(2))
    expected = {}
    for no, line in enumerate(SCRIPT.read_text().splitlines(), 1):
        m = re.search(r"reveal_type\(.*#\s*R:\s*(.*)$", line)
        if m:
            expected[no] = m.group(1).strip()
    assert len(expected) >= 25
    assert revealed == expected
    assert "Any" not in " ".join(v for v in revealed.values() if "dict[str, Any]" not in v)


def test_an_untyped_call_is_caught():
    """The stubs are precise enough that mistakes are errors."""
    bad = SCRIPT.parent / "_bad_script.py"
    bad.write_text(
        "from accord_client import AccordClient\n"
        "def f(c: AccordClient) -> None:\n"
        "    a = c.get_agreement('x')\n"
        "    a.no_such_field\n"
        "    n: int = c.list_agreements().first_page().next_page_token\n")
    try:
        r = _mypy(str(bad))
    finally:
        bad.unlink()
    assert r.returncode == 1
    assert '"Agreement" has no attribute "no_such_field"' in r.stdout
    assert 'expression has type "str", variable has type "int"' in r.stdout
