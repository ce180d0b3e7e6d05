"""`python -m sim` runs the command line."""

from sim.tooling.cli import main

main()
