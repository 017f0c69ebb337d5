"""The one rule, checked by machines: Qt only in planner/ui (and planner/app), and lint clean."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import planner

ROOT = Path(__file__).resolve().parents[1]


def _non_ui_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(planner.__path__, "planner."):
        if info.name.startswith(("planner.ui", "planner.app")) or info.name == "planner.__main__":
            continue
        names.append(info.name)
    return names


def test_non_ui_modules_import_without_pyside6():
    code = (
        "import sys, importlib\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'PySide6' or name.startswith('PySide6.'):\n"
        "            raise ImportError('PySide6 is blocked outside planner.ui')\n"
        "sys.meta_path.insert(0, Block())\n"
        f"for m in {_non_ui_modules()!r}:\n"
        "    importlib.import_module(m)\n"
        "assert not any(k.startswith('PySide6') for k in sys.modules)\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_import_linter_contracts_hold():
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert exe, "import-linter is part of the test extra"
    result = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_is_clean():
    exe = shutil.which("ruff", path=str(Path(sys.executable).parent))
    assert exe, "ruff is part of the test extra"
    result = subprocess.run(
        [exe, "check", "planner", "tests", "benchmarks"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _all_modules() -> list[str]:
    return [info.name for info in pkgutil.walk_packages(planner.__path__, "planner.")
            if info.name != "planner.__main__"]  # that one runs the command on import


def test_every_module_imports():
    names = _all_modules()
    # the walk finds the package's modules, Qt ones included (an empty walk would prove nothing)
    assert {"planner.cli", "planner.app", "planner.domain.plan", "planner.geo.io",
            "planner.clustering.federate", "planner.ui.main_window"} <= set(names)
    assert len(names) == sum(1 for p in (ROOT / "planner").rglob("*.py")
                             if p.name not in ("__init__.py", "__main__.py")) + sum(
        1 for p in (ROOT / "planner").rglob("__init__.py") if p.parent != ROOT / "planner")
    failed = []
    for name in names:
        try:
            module = importlib.import_module(name)
        except Exception as exc:  # noqa: BLE001 - every failure is reported, not just the first
            failed.append(f"{name}: {type(exc).__name__}: {exc}")
        else:
            assert module.__name__ == name
    assert failed == []


# -- rooms of the right size ----------------------------------------------------------------------
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
# Today's oversized modules and functions with their current sizes. An entry may only shrink:
# the test fails if one grows or a new one appears, and asks for the entry's removal once it
# complies. Functions are "path::Class.method" (nested functions count inside their parent too).
ALLOWED_MODULES = {
}
ALLOWED_FUNCTIONS = {
}


def sizes(root: Path = ROOT) -> tuple[dict[str, int], dict[str, int]]:
    """(lines per module, lines per function from ``def`` to its last line) under planner/."""
    modules, functions = {}, {}
    for path in sorted((root / "planner").rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8")
        modules[rel] = len(text.splitlines())
        stack = [(ast.parse(text), "")]
        while stack:
            node, prefix = stack.pop()
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                    name = prefix + child.name
                    functions[f"{rel}::{name}"] = child.end_lineno - child.lineno + 1
                    stack.append((child, name + "."))
                elif isinstance(child, ast.ClassDef):
                    stack.append((child, prefix + child.name + "."))
    return modules, functions


def size_problems(measured: dict[str, int], allowed: dict[str, int], limit: int,
                  what: str) -> list[str]:
    problems = []
    for name, size in sorted(measured.items()):
        cap = allowed.get(name)
        if size > limit and cap is None:
            problems.append(f"{name}: {size} lines, over the {limit}-line limit for a {what}; "
                            "split it by concept")
        elif cap is not None and size > cap:
            problems.append(f"{name}: grew to {size} lines (allowed {cap} while it shrinks); "
                            "split it instead")
        elif cap is not None and size <= limit:
            problems.append(f"{name}: now {size} lines, within the limit: remove its entry "
                            "from the allowlist in tests/test_architecture.py")
    for name in sorted(set(allowed) - set(measured)):
        problems.append(f"{name}: no longer exists: remove its entry from the allowlist")
    return problems


def test_modules_and_functions_stay_small():
    modules, functions = sizes()
    problems = (size_problems(modules, ALLOWED_MODULES, MAX_MODULE_LINES, "module")
                + size_problems(functions, ALLOWED_FUNCTIONS, MAX_FUNCTION_LINES, "function"))
    assert problems == [], "\n".join(problems)


def test_the_size_check_catches_growth_and_newcomers(tmp_path):
    package = tmp_path / "planner"
    package.mkdir()
    body = "\n".join(f"        x{i} = {i}" for i in range(61))
    (package / "big.py").write_text(f"class A:\n    def f(self):\n{body}\n", encoding="utf-8")
    (package / "small.py").write_text("def g():\n    return 1\n", encoding="utf-8")
    modules, functions = sizes(tmp_path)
    assert functions == {"planner/big.py::A.f": 62, "planner/small.py::g": 2}
    assert modules == {"planner/big.py": 63, "planner/small.py": 2}
    assert size_problems(functions, {}, 60, "function") == [
        "planner/big.py::A.f: 62 lines, over the 60-line limit for a function; split it by concept"]
    assert "grew to 62" in size_problems(functions, {"planner/big.py::A.f": 61}, 60, "f")[0]
    assert size_problems(functions, {"planner/big.py::A.f": 62}, 60, "function") == []
    big = {"planner/big.py::A.f": 62}
    (done,) = size_problems(functions, big | {"planner/small.py::g": 70}, 60, "function")
    assert done.startswith("planner/small.py::g: now 2 lines") and "remove its entry" in done
    (gone,) = size_problems(functions, big | {"planner/gone.py::h": 70}, 60, "function")
    assert gone.startswith("planner/gone.py::h: no longer exists")
