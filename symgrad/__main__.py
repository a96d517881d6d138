"""``python -m symgrad``: the command line."""

from .cli.launch import main

if __name__ == "__main__":
    main()
