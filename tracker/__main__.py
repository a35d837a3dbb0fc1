"""`python -m tracker ...`: a thin layer of argparse commands over the library."""

from tracker.cli import main

raise SystemExit(main())
