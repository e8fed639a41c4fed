"""Every module imports on its own, in a fresh interpreter: no module works only because a caller imported another
first (``resolve.speakers`` failed with a circular import when imported alone: it reached up into ``extract``)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import discernment

MODULES = sorted(m.name for m in pkgutil.walk_packages(discernment.__path__, "discernment.")
                 if ".migrations." not in m.name and m.name != "discernment.__main__")


def test_every_module_imports_alone():
    script = ("import importlib, subprocess, sys\n"
              "bad = []\n"
              "for name in sys.argv[1:]:\n"
              "    r = subprocess.run([sys.executable, '-c', 'import ' + name], capture_output=True, text=True)\n"
              "    if r.returncode:\n"
              "        bad.append(name + ': ' + (r.stderr.strip().splitlines() or ['?'])[-1])\n"
              "print('\\n'.join(bad))\n")
    result = subprocess.run([sys.executable, "-c", script, *MODULES], capture_output=True, text=True, timeout=1200)
    assert len(MODULES) > 80
    assert result.stdout.strip() == "", result.stdout


def test_lower_layers_never_import_higher_ones():
    """resolve/ reads no extractor: the word classes both need live in resources/en/words.toml (discernment.lexicon)."""
    import ast
    from pathlib import Path

    root = Path(discernment.__file__).parent
    higher = {"extract", "pipeline", "store", "analysis", "web", "cli", "batch", "export", "maps", "watch", "runner",
              "api"}
    for path in (root / "resolve").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level >= 2 and node.module:
                assert node.module.split(".")[0] not in higher, f"{path.name} imports {node.module}"


def test_packages_register_nothing_on_import_and_lookups_load_their_module():
    """Importing discernment.extract adds no component; looking one up by name imports its module, in a fresh
    interpreter (issue 23: package __init__ files free of side effects)."""
    code = (
        "import sys\n"
        "from discernment import registry\n"
        "import discernment.extract\n"
        "assert registry.components._items == {}, registry.components._items\n"
        "assert 'discernment.extract.claims' not in sys.modules\n"
        "assert 'claims.v1' in registry.components.names()\n"
        "factory = registry.components.get('claims.v1')\n"
        "assert 'discernment.extract.claims' in sys.modules and callable(factory)\n"
        "assert registry.readers.get('text.v1')\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
