"""`python -m extract PATH...` extracts incidents; `python -m extract ingest ...` fills the store."""
import sys


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "ingest":
        from extract.ingest import main as ingest_main
        return ingest_main(argv[1:])
    from extract.cli import main as extract_main
    return extract_main(argv)


if __name__ == "__main__":
    sys.exit(main())
