"""`python -m interface.cli`: the `booking` command."""

import sys

from interface.cli.main import main

sys.exit(main())
