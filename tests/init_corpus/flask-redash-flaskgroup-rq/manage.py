#!/usr/bin/env python
from redash.cli import manager
if __name__ == "__main__":
    manager()
