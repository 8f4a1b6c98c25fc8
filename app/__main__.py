"""``python -m app``: the madoguchi command line without the windows."""

import sys

from app.cli.main import main

sys.exit(main())
