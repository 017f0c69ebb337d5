"""The test command fails on any skip that is not a missing optional tool (tests/conftest.py).

Each case runs pytest in a subprocess on a tiny test folder that uses this repository's
conftest.py, so what is checked is the hook the real suite runs under.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CONFTEST = Path(__file__).resolve().parent / "conftest.py"
ROOT = CONFTEST.parents[1]

CASES = {
    "plain_skip": ('import pytest\n\ndef test_a():\n    pytest.skip("shared data not found")\n',
                   1, "shared data not found"),
    "skipif_mark": ('import pytest\n\n@pytest.mark.skipif(True, reason="later")\n'
                    'def test_a():\n    pass\n', 1, "later"),
    "module_importorskip": ('import pytest\n\npytest.importorskip("no_such_module_xyz")\n\n'
                            'def test_a():\n    pass\n', 1, "no_such_module_xyz"),
    "fixture_skip": ('import pytest\n\n@pytest.fixture\ndef data():\n    pytest.skip("no data")\n\n'
                     'def test_a(data):\n    pass\n', 1, "no data"),
    "optional_tool": ('import pytest\n\ndef test_a():\n'
                      '    pytest.skip("optional tool missing: ogr2ogr")\n\n'
                      'def test_b():\n    assert 1 + 1 == 2\n', 0, None),
    "no_skip": ("def test_a():\n    assert 2 * 3 == 6\n", 0, None),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_skip_fails_the_run_unless_an_optional_tool_is_missing(case, tmp_path):
    source, expected_code, named = CASES[case]
    shutil.copyfile(CONFTEST, tmp_path / "conftest.py")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (tmp_path / "test_case.py").write_text(source, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH",
                                                                                  "")]))
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:pytestqt",
         str(tmp_path)],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120,
    )
    assert run.returncode == expected_code, run.stdout + run.stderr
    if named:
        assert "skips that are not allowed" in run.stdout and named in run.stdout
    else:
        assert "skips that are not allowed" not in run.stdout
