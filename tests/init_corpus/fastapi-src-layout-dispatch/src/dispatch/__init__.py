import os
import os.path
import traceback
from subprocess import check_output

try:
    from importlib.metadata import version

    VERSION = version("dispatch")
except Exception:
