"""`python -m annotate`: the same command line as `annotate`."""

import sys

from annotate.cli import main

sys.exit(main())
