"""`python -m annotate.cli`: the command line."""

import sys

from annotate.cli import main

sys.exit(main())
