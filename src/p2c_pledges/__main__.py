"""``python -m p2c_pledges`` runs the ``p2c-pledges`` command."""

from __future__ import annotations

import sys

from .cli import main


sys.exit(main())
