"""The mypyc-compiled pipeline (bench/compiled.py) gives exactly what the Python source gives."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench import compiled

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "eval" / "dev" / "corpus"

pytestmark = pytest.mark.skipif(not compiled.available(), reason="mypyc not installed (pip install .[fast])")


def _extract(repo: Path, corpus: Path, out: Path) -> str:
    env = dict(os.environ, PYTHONPATH=str(repo))
    proc = subprocess.run([sys.executable, "-m", "extract", str(corpus), "-o", str(out)],
                          cwd=repo, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return out.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def compiled_copy(tmp_path_factory):
    return compiled.build(tmp_path_factory.mktemp("compiled"))


def test_the_copy_really_runs_compiled_modules(compiled_copy):
    env = dict(os.environ, PYTHONPATH=str(compiled_copy))
    code = ("import extract.tokens, extract.pipeline, extract.claimants; "
            "print(extract.tokens.__file__); print(extract.pipeline.__file__); print(extract.claimants.__file__)")
    files = subprocess.run([sys.executable, "-c", code], cwd=compiled_copy, env=env,
                           capture_output=True, text=True, check=True).stdout.split()
    assert files and all(f.endswith(".so") and f.startswith(str(compiled_copy)) for f in files)


def test_same_incidents_as_the_source_on_seeds_and_dev(compiled_copy, tmp_path):
    corpora = [ROOT / "seeds"] + ([DEV] if DEV.is_dir() else [])
    for corpus in corpora:
        pure = _extract(ROOT, corpus, tmp_path / "pure.jsonl")
        fast = _extract(compiled_copy, corpus, tmp_path / "fast.jsonl")
        assert pure.count("\n") >= 20
        assert fast == pure, f"compiled output differs on {corpus}"
