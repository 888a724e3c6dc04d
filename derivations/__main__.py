import os
import sys

from .cli import main

try:
    sys.exit(main())
except BrokenPipeError:
    # the reader piped the output into `head` and it stopped reading: not an error of ours,
    # and no traceback (Python's own advice: point stdout at devnull so the exit flush is quiet)
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(1)
