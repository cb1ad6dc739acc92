"""What reading a saved web page costs against the same article as plain text.

The five saved-page fixtures (tests/fixtures/pages: Arabic news pages built around the seed
articles, with navigation, related news, comments and footer) are read and extracted, and so
are the same articles as text files; the figure is CPU milliseconds an article, best of
`repeat` runs, and the ratio HTML / text.

    python -m bench.html [--repeat 5]
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "tests" / "fixtures" / "pages"


def _text_twins(folder: Path) -> list[Path]:
    """The fixtures' articles as text files: headline and seed text, as the pages carry them."""
    import sys
    sys.path.insert(0, str(PAGES))
    import make_pages
    out = []
    for name, seed, _charset, title, _head, _top in make_pages.PAGES:
        f = folder / (Path(name).stem + ".txt")
        f.write_text(title + "\n\n" + (ROOT / "seeds" / seed).read_text(encoding="utf-8"), encoding="utf-8")
        out.append(f)
    return out


def _cpu_ms(files: list[Path], repeat: int) -> float:
    from extract.pipeline import extract_article
    from extract.read import read_article
    best = float("inf")
    for _ in range(repeat):
        t = time.process_time()
        for f in files:
            extract_article(read_article(f))
        best = min(best, time.process_time() - t)
    return best * 1000 / len(files)


def measure(repeat: int = 5) -> dict:
    """{"html_ms", "text_ms", "read_html_ms", "read_text_ms"}: per article, CPU."""
    from extract.pipeline import load_resources
    from extract.read import read_article
    load_resources()
    pages = sorted(PAGES.glob("*.html"))
    with tempfile.TemporaryDirectory() as tmp:
        texts = _text_twins(Path(tmp))
        _cpu_ms(pages + texts, 1)                       # warm every cache
        out = {"html_ms": _cpu_ms(pages, repeat), "text_ms": _cpu_ms(texts, repeat)}
        for key, files in (("read_html_ms", pages), ("read_text_ms", texts)):
            best = float("inf")
            for _ in range(repeat):
                t = time.process_time()
                for f in files:
                    read_article(f)
                best = min(best, time.process_time() - t)
            out[key] = best * 1000 / len(files)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.html", description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=5)
    r = measure(ap.parse_args(argv).repeat)
    print(f"saved page: {r['html_ms']:.1f} ms an article (reading {r['read_html_ms']:.1f} ms); "
          f"text: {r['text_ms']:.1f} ms (reading {r['read_text_ms']:.1f} ms); "
          f"x{r['html_ms'] / r['text_ms']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
