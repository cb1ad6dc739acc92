"""`python -m extract PATH...` extracts incidents; `python -m extract ingest ...` fills the
store; `python -m extract claims --db FILE` writes one row per claim (reports of one
statement merged); `python -m extract unresolved PATH...` lists the place names the
gazetteer lacks; `python -m extract manifest PATH...` writes the manifest the articles (saved
pages: their own markup) state."""
import sys


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "ingest":
        from extract.ingest import main as ingest_main
        return ingest_main(argv[1:])
    if argv and argv[0] == "claims":
        from extract.claims import main as claims_main
        return claims_main(argv[1:])
    if argv and argv[0] == "manifest":
        from extract.manifest_cmd import main as manifest_main
        return manifest_main(argv[1:])
    if argv and argv[0] == "unresolved":
        from extract.unresolved import main as unresolved_main
        return unresolved_main(argv[1:])
    from extract.cli import main as extract_main
    return extract_main(argv)


if __name__ == "__main__":
    sys.exit(main())
