"""``python -m imdi_analysis`` runs the ``imdi`` command line."""

from imdi_analysis.cli import main

if __name__ == "__main__":
    main()
