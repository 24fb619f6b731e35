"""python -m gongkai.cli"""

import sys

from gongkai.cli.main import main

sys.exit(main())
