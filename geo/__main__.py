"""python -m geo check [gazetteer.csv]"""
import sys

from geo.cli import main

if __name__ == "__main__":
    sys.exit(main())
