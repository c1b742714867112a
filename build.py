"""The entry point: `python build.py` builds every leaflet; `python build.py --help` lists the commands."""
import sys

from leaflets.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
