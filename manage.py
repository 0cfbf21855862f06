#!/usr/bin/env python
from civgrid.cli import main

if __name__ == "__main__":
    main()
