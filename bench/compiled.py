"""A copy of the project with the extraction pipeline's hot modules compiled by mypyc.

Profiling left no hot spot in pure Python: the time is CPython's own cost per word, spread
over a dozen passes. mypyc compiles the same type-annotated modules to C extensions (the
source stays the reference; the output is checked identical by tests/test_compiled.py).

The copy is built outside the source tree on purpose: compiled modules sit next to their .py
files and are imported instead of them, so compiling in place would leave a checkout running
stale code after every edit.

    python -m bench.compiled DEST      # build DEST (needs the [fast] extra: pip install .[fast])
    PYTHONPATH=DEST python -P -m extract ARTICLES -o out.jsonl

(-P keeps the current folder, perhaps this checkout, from coming first on the import path.)
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# the per-sentence stages; the rest (reading, store, CLI, geo) is not where the time goes
HOT_MODULES = ("geo/arabic.py", "extract/sentences.py", "extract/tokens.py", "extract/places.py",
               "extract/events.py", "extract/claimants.py", "extract/dates.py", "extract/document.py",
               "extract/place_stage.py", "extract/pipeline.py", "geo/clitics.py")
_COPIED = ("extract", "geo", "bench", "gazetteer.csv", "seeds")


class CompileError(RuntimeError):
    pass


def available() -> bool:
    """Whether mypyc can run here (the [fast] extra is installed)."""
    try:
        import mypyc  # noqa: F401
    except ImportError:
        return False
    return True


def build(dest: Path | str) -> Path:
    """Copy the project's packages and data to dest and compile the hot modules there."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    for name in _COPIED:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.so", "node_modules", "vendor"))
        elif src.exists():
            shutil.copy2(src, dest / name)
    proc = subprocess.run([sys.executable, "-m", "mypyc", *HOT_MODULES], cwd=dest,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise CompileError(f"mypyc failed in {dest}:\n{(proc.stdout + proc.stderr)[-3000:]}")
    missing = [m for m in HOT_MODULES if not list((dest / m).parent.glob(Path(m).stem + ".*.so"))]
    if missing:
        raise CompileError(f"mypyc built no extension for {', '.join(missing)} in {dest}")
    return dest


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    if not available():
        print("mypyc is not installed: pip install .[fast]", file=sys.stderr)
        return 1
    out = build(argv[0])
    print(f"compiled copy in {out} ({len(HOT_MODULES)} modules): PYTHONPATH={out} python -P -m extract ...")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
