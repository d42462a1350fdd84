import sys

from somos_site.cli import main

sys.exit(main())
