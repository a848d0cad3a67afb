"""Allow ``python -m crm_bridge <command>``."""

import sys

from crm_bridge.cli import main

sys.exit(main())
