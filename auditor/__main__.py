"""`python -m auditor` runs the same CLI as the `linkedin-audit` script."""

from auditor.cli import main

if __name__ == "__main__":
    main()
