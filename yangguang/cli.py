"""The `yangguang` console script: Django's manage.py for this project.

Project commands are spelt with hyphens on the command line (`import-orgs`,
`audit verify`); Django wants module names, so hyphens become underscores here.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yangguang.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
