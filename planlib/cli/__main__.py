"""``python -m planlib.cli`` runs the ``planlib`` command."""

import sys

from . import main

sys.exit(main())
