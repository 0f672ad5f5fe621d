"""`python -m cli` runs the bacowr command line."""

from cli.main import main

main()
