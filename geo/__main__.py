"""python -m geo check [gazetteer.csv] | python -m geo unresolved PATH... [--manifest FILE]"""
import sys

from geo.cli import main

if __name__ == "__main__":
    sys.exit(main())
